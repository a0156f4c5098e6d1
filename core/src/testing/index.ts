// First: tsyringe needs the polyfill before any @injectable class (company-service) is evaluated.
import 'reflect-metadata';
import path from 'node:path';
import { loadConfig, type KefuConfig } from '@kefu/config';
import { CompanyService } from '../accounts/company-service.ts';
import { createServer, type CreateOptions, type KefuServer } from '../server.ts';
import { TestClient } from './http-client.ts';
import { pgliteTemplate } from './pglite-template.ts';
import { freshDatabaseUrl } from './test-database.ts';

export { TestClient } from './http-client.ts';
export { freshDatabaseUrl } from './test-database.ts';
export { freePort } from './free-port.ts';
export { agentSocket, visitorSocket, call, next, DESKTOP_CHROME } from './sockets.ts';

export const repoRoot = path.resolve(import.meta.dirname, '../../..');
// Must pass PROFILE-PASSWORD-3, which forbids containing the agent ID ('admin').
export const ADMIN_PASSWORD = 'Acme-Secret-2026';

export interface TestCompany {
  id: number;
  publicId: number;
  adminPassword: string;
}

export interface TestKefu {
  server: KefuServer;
  url: string;
  company: TestCompany;
  /** A second company on the same server, for isolation tests. */
  createCompany(name?: string): Promise<TestCompany>;
  /** A signed-in console client (cookie). */
  login(agentId?: string, password?: string, companyPublicId?: number): Promise<TestClient>;
  client(): TestClient;
  close(): Promise<void>;
}

/** Starts a real server (embedded database, or a fresh PostgreSQL database under KEFU_TEST_PG) with one company. */
export async function startTestServer(env: Record<string, string> = {}, opts: CreateOptions = {}): Promise<TestKefu> {
  const db = await freshDatabaseUrl();
  const config: KefuConfig = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.KEFU_TEST_LOG ?? 'silent',
    NODE_ENV: 'test',
    // Tests drive visitors faster than a person types; the flood limit's own test sets the SPEC value (POLICY-FLOOD-7).
    KEFU_VISITOR_FLOOD: '1000/10/30',
    KEFU_PLUGINS_DIR: path.join(repoRoot, 'plugins'),
    KEFU_DATA_DIR: path.join(repoRoot, 'data', 'test'),
    ...(db.url ? { DATABASE_URL: db.url } : {}),
    ...env,
  });
  const embedded = !config.DATABASE_URL && !opts.db && !opts.pgliteDataDir;
  const server = await createServer(config, {
    pgliteDataDir: 'memory://',
    ...(embedded ? { pgliteFrom: await pgliteTemplate(config.KEFU_DATA_DIR) } : {}),
    ...opts,
  });
  const companies = server.container.resolve(CompanyService);
  const createCompany = async (name = 'Test company'): Promise<TestCompany> => {
    const c = await companies.createWithAdmin({ name, adminPassword: ADMIN_PASSWORD });
    return { id: c.companyId, publicId: c.publicId, adminPassword: ADMIN_PASSWORD };
  };
  // A failed seed must not leave the server (and the test process) running.
  const company = await createCompany('Acme').catch(async (err) => {
    await server.close();
    await db.drop();
    throw err;
  });
  const client = () => new TestClient(server.url);
  return {
    server,
    url: server.url,
    company,
    createCompany,
    client,
    async login(agentId = 'admin', password = ADMIN_PASSWORD, publicId = company.publicId) {
      const c = client();
      const r = await c.post('/api/auth/login', { companyId: String(publicId), agentId, password });
      if (r.status !== 200) throw new Error(`login failed: ${r.status} ${r.text}`);
      return c;
    },
    async close() {
      await server.close();
      await db.drop();
    },
  };
}
