import type { Knex } from 'knex';

/**
 * Permission templates (AGENT-TEMPLATE-18), the company's default calling code
 * (COMPANY-LOCALE-7), a company e-mail change waiting for its confirmation
 * link (COMPANY-EMAIL-5) and the company logo (COMPANY-LOGO-6).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('permission_templates', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.text('name').notNullable();
    t.text('name_lower').notNullable();
    t.specificType('permissions', 'text[]').notNullable().defaultTo('{}');
    t.boolean('is_default').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['company_id', 'name_lower']);
  });
  await knex.raw('create unique index permission_templates_one_default on permission_templates (company_id) where is_default');
  await knex.schema.alterTable('agents', (t) => {
    // The template last applied; a direct edit of the agent's permissions clears it, so 重新应用 leaves hand-tuned agents alone.
    t.bigInteger('permission_template_id').references('permission_templates.id').onDelete('SET NULL');
  });
  await knex.schema.alterTable('companies', (t) => {
    // The built-in templates are created on first use, for companies old and new alike.
    t.boolean('templates_seeded').notNullable().defaultTo(false);
    t.text('calling_code').notNullable().defaultTo('+86');
    t.boolean('email_verified').notNullable().defaultTo(false);
    t.text('pending_email');
    t.text('pending_email_token_hash');
    t.timestamp('pending_email_expires_at', { useTz: true });
    // COMPANY-LOGO-6: kept in the database like avatars so every node serves it; the random key is its public name.
    t.text('logo_key');
    t.text('logo_mime');
    t.binary('logo_data');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('companies', (t) => {
    t.dropColumn('logo_data');
    t.dropColumn('logo_mime');
    t.dropColumn('logo_key');
    t.dropColumn('pending_email_expires_at');
    t.dropColumn('pending_email_token_hash');
    t.dropColumn('pending_email');
    t.dropColumn('email_verified');
    t.dropColumn('calling_code');
    t.dropColumn('templates_seeded');
  });
  await knex.schema.alterTable('agents', (t) => t.dropColumn('permission_template_id'));
  await knex.schema.dropTable('permission_templates');
}
