import type { Knex } from 'knex';

/**
 * Invitation window (SPEC §7.1.4): automatic invitations per visit (INVITE-AUTO-3,
 * INVITE-POPUP-2: when the strategies are next checked, how many were shown), the
 * rule that fired an automatic invitation (INVITE-ACCEPT-8), and when each
 * invitation stops showing (the company's display duration; null = until answered).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('invite_visits', (t) => {
    t.bigInteger('visit_id').primary().references('visits.id').onDelete('CASCADE');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('visitor_id').notNullable().references('visitors.id').onDelete('CASCADE');
    t.timestamp('started_at', { useTz: true }).notNullable();
    t.timestamp('due_at', { useTz: true });
    t.integer('shown').notNullable().defaultTo(0);
    t.index(['due_at']);
    t.index(['company_id', 'visitor_id']);
  });
  await knex.schema.alterTable('invitations', (t) => {
    t.integer('strategy');
    t.timestamp('expires_at', { useTz: true });
  });
  // Invitations pending at upgrade keep the 20 s they were shown with.
  await knex.raw(`update invitations set expires_at = created_at + interval '20 seconds' where status = 'pending' and kind = 'invite'`);
  await knex.schema.alterTable('invitations', (t) => t.index(['status', 'expires_at']));
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('invitations', (t) => {
    t.dropIndex(['status', 'expires_at']);
    t.dropColumn('strategy');
    t.dropColumn('expires_at');
  });
  await knex.schema.dropTableIfExists('invite_visits');
}
