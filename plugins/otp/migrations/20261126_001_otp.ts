import type { Knex } from 'knex';

/**
 * OTP plugin tables (SPEC OTP-*): company settings, bindings (sealed secrets) and
 * hashed recovery codes. Rolled back in full when the plugin is uninstalled.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('otp_settings', (t) => {
    t.bigInteger('company_id').primary().references('companies.id').onDelete('CASCADE');
    t.text('policy').notNullable().defaultTo('none'); // none | admins | all
    t.text('issuer').notNullable().defaultTo('Kefu');
    t.integer('drift').notNullable().defaultTo(1); // accepted steps either side, 0–2
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  // An agent has at most one active and one pending binding (a pending one beside an
  // active one is a device replacement that takes over only when confirmed).
  await knex.schema.createTable('otp_bindings', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('agent_id').notNullable().references('agents.id').onDelete('CASCADE');
    t.text('status').notNullable(); // pending | active
    t.text('secret_sealed').notNullable(); // AES-256-GCM (ctx.secrets.seal)
    t.integer('attempts').notNullable().defaultTo(0); // wrong confirmation codes of a pending binding
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }); // pending bindings only
    t.timestamp('bound_at', { useTz: true });
    // Last accepted TOTP time step: a code of this step or older is a replay (OTP-REPLAY-6).
    t.bigInteger('last_step').notNullable().defaultTo(0);
    t.timestamp('last_used_at', { useTz: true });
    t.unique(['agent_id', 'status']);
    t.index(['company_id', 'status']);
  });
  await knex.raw("alter table otp_bindings add constraint otp_bindings_status check (status in ('pending', 'active'))");

  await knex.schema.createTable('otp_recovery_codes', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('agent_id').notNullable().references('agents.id').onDelete('CASCADE');
    t.text('salt').notNullable();
    t.text('hash').notNullable(); // sha256(salt ‖ code), hex
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true });
    t.index(['company_id', 'agent_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('otp_recovery_codes');
  await knex.schema.dropTableIfExists('otp_bindings');
  await knex.schema.dropTableIfExists('otp_settings');
}
