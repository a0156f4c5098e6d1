import type { KefuServer } from './server.ts';
import { CompanyService } from './accounts/company-service.ts';
import { withBootLock } from './infra/boot-lock.ts';

/** On an empty database: create the first company and its primary admin, and say how to sign in once. */
export async function seedFirstCompany(server: Pick<KefuServer, 'config' | 'db' | 'container'>): Promise<void> {
  // Under the boot lock: two nodes starting on an empty database create one first company.
  await withBootLock(server.db, () => seed(server));
}

async function seed(server: Pick<KefuServer, 'config' | 'db' | 'container'>): Promise<void> {
  const { count } = (await server.db('companies').count('* as count').first()) as { count: string | number };
  if (Number(count) > 0) return;
  const created = await server.container.resolve(CompanyService).createWithAdmin({
    name: 'My company',
    adminAgentId: 'admin',
    adminPassword: server.config.KEFU_ADMIN_PASSWORD,
  });
  const lines = [
    '',
    '  Kefu is ready. Sign in to the console with:',
    `    URL:         ${server.config.derivedPublicUrl}/`,
    `    Company ID:  ${created.publicId}`,
    `    Agent ID:    ${created.agentId}`,
    `    Password:    ${server.config.KEFU_ADMIN_PASSWORD ? '(the KEFU_ADMIN_PASSWORD you set)' : created.password}`,
    '  This password is shown only once. Demo page: ' + server.config.derivedPublicUrl + '/demo',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
