import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'admin-ui/**', 'plugins/*/admin/**', 'widget/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', fetch: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [{ name: 'tsyringe', message: 'Import DI from core/src/infra/di.ts (loads reflect-metadata first).' }] }],
    },
  },
  {
    // Core never imports a plugin (ARCHITECTURE §2).
    files: ['core/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'tsyringe', message: 'Import DI from core/src/infra/di.ts (loads reflect-metadata first).' }],
          patterns: [{ group: ['**/plugins/*/server/**', '@kefu/plugin-*'], message: 'Core never imports a plugin.' }],
        },
      ],
    },
  },
);
