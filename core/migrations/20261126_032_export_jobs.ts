import type { Knex } from 'knex';

/**
 * Background export jobs (SPEC HISTORY-EXPORTJOB-11, LEAVEMSG-EXPORT-13): exports over the
 * direct-download size are written to a file under the data folder by whichever node holds
 * the job; `heartbeat_at` goes stale when that node stops, and another node restarts it.
 * The requester downloads the file until `expires_at`, after which it is deleted.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('export_jobs', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('agent_id').notNullable().references('agents.id').onDelete('CASCADE');
    /** `history` or `leavemsg`. */
    t.text('kind').notNullable();
    t.text('format').notNullable();
    /** The validated export query, run again with the requester's rights when the job (re)starts. */
    t.jsonb('params').notNullable();
    t.text('filename').notNullable();
    /** `running`, `done`, `failed`, `cancelled` (the requester lost the permission) or `expired` (file deleted). */
    t.text('status').notNullable().defaultTo('running');
    t.integer('total').notNullable().defaultTo(0);
    t.integer('done').notNullable().defaultTo(0);
    t.bigInteger('size');
    /** Relative to the data folder. */
    t.text('file_path').notNullable();
    t.text('error');
    t.integer('attempts').notNullable().defaultTo(1);
    t.timestamp('heartbeat_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
    t.timestamp('expires_at', { useTz: true });
    t.index(['company_id', 'agent_id', 'id']);
    t.index(['status', 'heartbeat_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('export_jobs');
}
