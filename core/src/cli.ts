import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '@kefu/config';
import { CompanyService } from './accounts/company-service.ts';
import { createDb } from './infra/db.ts';
import { createLogger } from './infra/logger.ts';
import { coreMigrationsDir, migrateLatest } from './infra/migrator.ts';
import { LoginRateLimit } from './auth/login-rate-limit.ts';
import { parseOr400 } from './http/validate.ts';
import { createServer } from './server.ts';

const HELP = `Kefu command line (npm run kefu -- <command>)

  migrate                                   run core and plugin migrations
  company create --name N [--id 10002] [--admin admin] [--password P]
                                            create a company and its primary admin
  password reset --company 10001 --agent admin [--password P]
                                            set a new password (printed when generated)
  plugins list
  plugins enable|disable --company 10001 --plugin otp [--expires 2027-12-31]
  plugins uninstall --plugin otp            roll back a plugin's tables
  licence set --company 10001 --product seats|otp|… [--starts 2026-01-01] [--expires 2027-12-31] [--quantity 20]
                                            set a licence ("none" clears a value; seats take --quantity only)
  feedback list [--company 10001] [--state submitted]
                                            the feedback inbox of all companies (tab-separated)
  feedback reply --id 12 --text "…"         answer a feedback item; the agent is notified
  loginip off --company 10001               switch a company's login IP list off
  lockout clear --ip 1.2.3.4 [--company 10001 --agent admin]
`;

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      id: { type: 'string' },
      admin: { type: 'string' },
      password: { type: 'string' },
      company: { type: 'string' },
      agent: { type: 'string' },
      plugin: { type: 'string' },
      expires: { type: 'string' },
      starts: { type: 'string' },
      quantity: { type: 'string' },
      product: { type: 'string' },
      state: { type: 'string' },
      text: { type: 'string' },
      ip: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  const cmd = positionals.join(' ');
  if (!cmd || values.help) return void process.stdout.write(HELP);
  const config = { ...loadConfig(), PORT: 0, HOST: '127.0.0.1', LOG_LEVEL: 'warn' as const };
  if (cmd === 'migrate') {
    const db = await createDb(config);
    const done = await migrateLatest(db, 'core', coreMigrationsDir);
    await db.destroy();
    // Plugins' migrations run when the node starts its plugin host.
    const server = await createServer(config, { log: createLogger('warn') });
    await server.close();
    return void process.stdout.write(`core migrations applied: ${done.length}; plugin migrations applied at boot\n`);
  }
  const server = await createServer(config, { log: createLogger('warn') });
  const { container } = server;
  const need = (k: keyof typeof values) => {
    const v = values[k];
    if (typeof v !== 'string' || !v) throw new Error(`--${k} is required`);
    return v;
  };
  try {
    const companies = container.resolve(CompanyService);
    const companyPk = async () => (await companies.byPublicId(Number(need('company')))).id;
    switch (cmd) {
      case 'company create': {
        const c = await companies.createWithAdmin({
          name: need('name'),
          publicId: values.id ? Number(values.id) : undefined,
          adminAgentId: values.admin,
          adminPassword: values.password,
        });
        process.stdout.write(`Company ID ${c.publicId}, agent ID ${c.agentId}, password ${values.password ? '(as given)' : c.password}\n`);
        break;
      }
      case 'password reset': {
        const p = await companies.resetPassword(Number(need('company')), need('agent'), values.password);
        process.stdout.write(values.password ? 'Password changed.\n' : `New password: ${p}\n`);
        break;
      }
      case 'plugins list': {
        const { PluginHost } = await import('./plugins/plugin-host.ts');
        for (const p of container.resolve(PluginHost).list()) process.stdout.write(`${p.id}\t${p.version}\t${p.status}${p.error ? `\t${p.error}` : ''}\n`);
        break;
      }
      case 'plugins enable':
      case 'plugins disable': {
        const { PluginHost } = await import('./plugins/plugin-host.ts');
        const host = container.resolve(PluginHost);
        if (cmd.endsWith('enable')) await host.enable(await companyPk(), need('plugin'), { expiresOn: values.expires ?? null }, 'operator');
        else await host.disable(await companyPk(), need('plugin'), 'operator');
        process.stdout.write('Done; every node applies it within seconds.\n');
        break;
      }
      case 'plugins uninstall': {
        const { PluginHost } = await import('./plugins/plugin-host.ts');
        await container.resolve(PluginHost).uninstall(need('plugin'));
        process.stdout.write('Uninstalled; its tables are rolled back.\n');
        break;
      }
      case 'licence set': {
        const { BillingService } = await import('./billing/billing-service.ts');
        const opt = (v: string | undefined, parse: (s: string) => unknown = (s) => s) => (v === undefined ? undefined : v === 'none' ? null : parse(v));
        await container.resolve(BillingService).setLicence(await companyPk(), need('product'), {
          startsOn: opt(values.starts),
          expiresOn: opt(values.expires),
          quantity: opt(values.quantity, Number),
        });
        process.stdout.write('Done; every node applies it within seconds.\n');
        break;
      }
      case 'feedback list': {
        const { FeedbackService } = await import('./feedback/feedback-service.ts');
        const { operatorListQuery } = await import('./feedback/feedback-schemas.ts');
        const filter = parseOr400(operatorListQuery, { company: values.company, state: values.state });
        for (const i of await container.resolve(FeedbackService).operatorList(filter))
          process.stdout.write([i.id, i.companyId, i.type, i.state, i.submitter.agentId, i.updatedAt, i.title].join('\t') + '\n');
        break;
      }
      case 'feedback reply': {
        const { FeedbackService } = await import('./feedback/feedback-service.ts');
        const { messageBody } = await import('./feedback/feedback-schemas.ts');
        const { content } = parseOr400(messageBody, { content: values.text ?? '' });
        await container.resolve(FeedbackService).reply({ kind: 'operator' }, Number(need('id')), content);
        process.stdout.write('Replied.\n');
        break;
      }
      case 'loginip off':
        await server
          .db('companies')
          .where({ id: await companyPk() })
          .update({ login_ip_enabled: false });
        process.stdout.write('Login IP list switched off.\n');
        break;
      case 'lockout clear':
        await container.resolve(LoginRateLimit).clear({ ip: need('ip'), companyId: values.company, agentId: values.agent });
        if (values.company && values.agent) {
          const pk = await companyPk();
          const agent = await server.db('agents').where({ company_id: pk, agent_id_lower: values.agent.toLowerCase() }).first('id');
          const { LoginService } = await import('./auth/login-service.ts');
          const login = container.resolve(LoginService);
          if (agent && (await login.lockedBefore(pk, Number(agent.id), need('ip'))))
            await login.lockoutEvent(pk, Number(agent.id), 'lockout_ended', need('ip'), 'Lock-out lifted by the operator');
        }
        process.stdout.write('Lock cleared.\n');
        break;
      default:
        process.stderr.write(`Unknown command: ${cmd}\n\n${HELP}`);
        process.exitCode = 64;
    }
  } finally {
    await server.close();
  }
}

main().catch((err) => {
  const flag: Record<string, string> = { startsOn: 'starts', expiresOn: 'expires' };
  const fields = (err?.extra?.fields ?? []).map((f: { path: string; message: string }) => `\n  --${flag[f.path] ?? f.path}: ${f.message}`).join('');
  process.stderr.write((err instanceof ConfigError ? err.message : `Error: ${err?.message ?? err}${fields}`) + '\n');
  process.exit(1);
});
