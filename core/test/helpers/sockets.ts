// The socket helpers live in `@kefu/core/testing` so plugin tests use the same ones.
export * from '../../src/testing/sockets.ts';
