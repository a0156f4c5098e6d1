// Two-process suite: real core/src/main.ts nodes on one PostgreSQL and a Redis of
// its own (npm run test:cluster). Slow and stateful, so one file at a time.
export default {
  files: ['core/test/multinode/**/*.test.ts'],
  extensions: { ts: 'module' },
  nodeArguments: ['--import=tsx'],
  timeout: '180s',
  concurrency: 1,
  workerThreads: false,
};
