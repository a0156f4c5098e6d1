import { ConfigError, loadConfig } from '@kefu/config';
import { createServer } from './server.ts';
import { seedFirstCompany } from './first-start.ts';

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(err.message + '\n');
    process.exit(78);
  }
  throw err;
}

// A node answers /readyz only once the first company exists, so a load balancer (or a second node) never sees it half-started.
const server = await createServer(config, { beforeListen: seedFirstCompany });

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const)
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    server.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000).unref();
    server.close().then(
      () => {
        clearTimeout(force);
        process.exit(0);
      },
      (err) => {
        server.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
