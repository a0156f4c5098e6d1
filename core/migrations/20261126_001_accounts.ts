import type { Knex } from 'knex';

/** Companies, agents, groups, sessions, login log, login IP list, plugin licences, audit. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('create extension if not exists pg_trgm');

  await knex.schema.createTable('companies', (t) => {
    t.bigIncrements('id');
    t.integer('public_id').notNullable().unique();
    t.text('name').notNullable();
    t.text('short_name');
    t.text('website');
    t.text('contact');
    t.text('email');
    t.text('phone');
    t.text('address');
    t.text('timezone').notNullable().defaultTo('Asia/Shanghai');
    t.text('visitor_language').notNullable().defaultTo('zh-CN');
    t.text('console_language').notNullable().defaultTo('zh-CN');
    t.text('status').notNullable().defaultTo('active');
    t.integer('seats');
    t.boolean('login_ip_enabled').notNullable().defaultTo(false);
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('agents', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.text('agent_id').notNullable();
    t.text('agent_id_lower').notNullable();
    t.text('name').notNullable();
    t.text('nickname').notNullable();
    t.text('email');
    t.text('phone');
    t.text('role').notNullable().defaultTo('agent');
    t.boolean('is_primary').notNullable().defaultTo(false);
    t.specificType('permissions', 'text[]').notNullable().defaultTo('{}');
    t.integer('max_chats');
    t.text('language');
    t.text('note');
    t.text('password_hash');
    t.specificType('password_history', 'text[]').notNullable().defaultTo('{}');
    t.boolean('must_change_password').notNullable().defaultTo(false);
    t.timestamp('disabled_at', { useTz: true });
    t.timestamp('deleted_at', { useTz: true });
    t.timestamp('last_login_at', { useTz: true });
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // Deleted agents keep their row so the agent ID stays reserved (AGENT-DELETE-8).
    t.unique(['company_id', 'agent_id_lower']);
  });

  await knex.schema.createTable('groups', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.text('name').notNullable();
    t.text('description');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('create unique index groups_company_name on groups (company_id, lower(name))');

  await knex.schema.createTable('group_members', (t) => {
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('group_id').notNullable().references('groups.id').onDelete('CASCADE');
    t.bigInteger('agent_id').notNullable().references('agents.id').onDelete('CASCADE');
    t.primary(['group_id', 'agent_id']);
    t.index(['company_id', 'agent_id']);
  });

  await knex.schema.createTable('sessions', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('agent_id').notNullable().references('agents.id').onDelete('CASCADE');
    t.text('token_hash').notNullable().unique();
    t.text('kind').notNullable(); // console | api
    t.boolean('remember').notNullable().defaultTo(false);
    t.text('restriction');
    t.text('ip');
    t.text('user_agent');
    t.text('method');
    t.bigInteger('login_log_id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_active_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('ended_at', { useTz: true });
    t.text('end_reason');
    t.index(['company_id', 'agent_id']);
  });

  await knex.schema.createTable('login_challenges', (t) => {
    t.text('id').primary();
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('agent_id').notNullable().references('agents.id').onDelete('CASCADE');
    t.text('step').notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.jsonb('login').notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('login_log', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('agent_id');
    t.text('typed_agent_id');
    t.text('type').notNullable().defaultTo('login'); // login | event
    t.text('result').notNullable(); // success | failure | event
    t.text('reason');
    t.text('method');
    t.text('factor');
    t.text('ip');
    t.text('browser');
    t.text('os');
    t.text('summary');
    t.bigInteger('actor_agent_id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('logout_at', { useTz: true });
    t.text('logout_reason');
    t.index(['company_id', 'created_at', 'id']);
  });

  await knex.schema.createTable('login_ip_entries', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.text('cidr').notNullable();
    t.text('note');
    t.bigInteger('added_by');
    t.timestamp('added_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['company_id', 'cidr']);
  });

  await knex.schema.createTable('plugin_state', (t) => {
    t.text('plugin_id').primary();
    t.text('version');
    t.text('status').notNullable(); // ok | failed | uninstalled
    t.text('error');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('company_plugins', (t) => {
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.text('plugin_id').notNullable();
    t.boolean('enabled').notNullable().defaultTo(false);
    t.date('starts_on');
    t.date('expires_on');
    t.integer('quantity');
    t.jsonb('limits').notNullable().defaultTo('{}');
    t.timestamp('installed_at', { useTz: true });
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['company_id', 'plugin_id']);
  });

  await knex.schema.createTable('licence_history', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.text('product').notNullable();
    t.text('actor').notNullable();
    t.jsonb('old_value');
    t.jsonb('new_value');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  // rate-limiter-flexible's PostgreSQL store (login lock-outs shared by all nodes).
  await knex.schema.createTable('rate_limits', (t) => {
    t.string('key', 255).primary();
    t.integer('points').notNullable().defaultTo(0);
    t.bigInteger('expire');
  });

  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('actor_agent_id');
    t.text('action').notNullable();
    t.text('target');
    t.jsonb('old_value');
    t.jsonb('new_value');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['company_id', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const t of [
    'audit_log',
    'rate_limits',
    'licence_history',
    'company_plugins',
    'plugin_state',
    'login_ip_entries',
    'login_log',
    'login_challenges',
    'sessions',
    'group_members',
    'groups',
    'agents',
    'companies',
  ])
    await knex.schema.dropTableIfExists(t);
}
