import test from 'ava';
import { AGENT_PASSWORD, bind, createAgent, setup, tryLogin } from './helpers.ts';

test.serial(
  'LOGIN-VERIFY-3 the agent’s state is checked before the auth.beforeLogin filter: a disabled agent with a dynamic password is told agent_disabled, never asked for a code',
  async (t) => {
    const { k, clock, admin } = await setup();
    t.teardown(() => k.close());
    const id = await createAgent(admin, 'bound');
    await bind(await k.login('bound', AGENT_PASSWORD), clock, AGENT_PASSWORD);
    t.is((await tryLogin(k, 'bound', AGENT_PASSWORD)).r.body.error.code, 'otp_required');

    t.is((await admin.post(`/api/agents/${id}/disable`)).status, 200);
    const { r } = await tryLogin(k, 'bound', AGENT_PASSWORD);
    t.is(r.status, 403);
    t.is(r.body.error.code, 'agent_disabled');
    t.is(r.body.error.challengeId, undefined);
    // And a wrong password still gets the generic answer before anything else (LOGIN-ERRORS-4).
    t.is((await tryLogin(k, 'bound', 'Wrong-password-9')).r.body.error.code, 'invalid_credentials');
  },
);
