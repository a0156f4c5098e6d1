/** DI tokens for values that are not classes. */
export const TOKENS = {
  Config: Symbol.for('kefu.Config'),
  Logger: Symbol.for('kefu.Logger'),
  Db: Symbol.for('kefu.Db'),
  /** Message appends only: commits that do not wait for the disk (infra/db.ts createAsyncCommitDb). */
  AppendDb: Symbol.for('kefu.AppendDb'),
  Bus: Symbol.for('kefu.Bus'),
  Clock: Symbol.for('kefu.Clock'),
} as const;

/** Injectable clock so timed behaviour is testable without waiting. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
