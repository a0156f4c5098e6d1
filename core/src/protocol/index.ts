/** The realtime protocol: zod schemas of every socket event (server side and docs). Front ends import ./client.ts. */
export * from './message-schemas.ts';
export * from './visitor-events.ts';
export * from './agent-events.ts';
