// Runs a command with KEFU_TEST_PG pointing at the PostgreSQL server that
// tests create their own throw-away databases on (default: CI's local server).
import { spawnSync } from 'node:child_process';

const url = process.env.KEFU_TEST_PG || process.env.DATABASE_URL || 'postgres://root@127.0.0.1:5432/test';
const [cmd, ...args] = process.argv.slice(2);
const r = spawnSync('npx', [cmd, ...args], { stdio: 'inherit', env: { ...process.env, KEFU_TEST_PG: url } });
process.exit(r.status ?? 1);
