import type { Knex } from 'knex';

/**
 * TOOLBAR-STATUSLOG-15: every status change with its reason, time and node,
 * for attendance reports and the agent list's "status since".
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('agent_status_log', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('agent_id').notNullable().references('agents.id').onDelete('CASCADE');
    t.text('old_status'); // null: the first status the agent ever had
    t.text('new_status').notNullable();
    t.text('reason').notNullable(); // manual | login | logout | idle | idle_return | presence_lost | forced | no_response | permission_removed
    t.text('node');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['company_id', 'agent_id', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('agent_status_log');
}
