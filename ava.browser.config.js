// Browser suite: real headless Chromium (Debian package) against a started server.
export default {
  files: ['admin-ui/test/**/*.e2e.test.ts', 'widget/test/**/*.e2e.test.ts', 'plugins/*/test/**/*.e2e.test.ts'],
  extensions: { ts: 'module' },
  nodeArguments: ['--import=tsx'],
  timeout: '120s',
  concurrency: 1,
  workerThreads: false,
};
