// Unit and integration suites (browser suites, *.e2e.test.ts, run under ava.browser.config.js). Data suites run on the embedded database here and
// on PostgreSQL when KEFU_TEST_PG is set (npm run test:pg).
export default {
  files: ['core/test/**/*.test.ts', 'plugins/*/test/**/*.test.ts', 'config/test/**/*.test.ts', '!core/test/multinode/**', '!**/*.e2e.test.ts'],
  extensions: { ts: 'module' },
  nodeArguments: ['--import=tsx'],
  timeout: '120s',
  concurrency: 2,
  workerThreads: false,
};
