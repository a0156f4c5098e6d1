import test from 'ava';
import { startTestServer, TestClient, type TestKefu } from '@kefu/core/testing';
import { call, visitorSocket } from './helpers/sockets.ts';

let k: TestKefu;
let admin: TestClient;

/** Saves the leave-message section on top of the current settings; answers the raw response. */
async function saveLeave(patch: Record<string, unknown>) {
  const cur = (await admin.get('/api/settings/widget')).body;
  return admin.put('/api/settings/widget', { version: cur.version, settings: { ...cur.settings, leaveMessage: { ...cur.settings.leaveMessage, ...patch } } });
}
const config = async () => (await k.client().get(`/api/widget/config?c=${k.company.publicId}`)).body;
const submit = (fields: Record<string, string>) => new TestClient(k.url).post('/api/widget/leave-message', { companyId: k.company.publicId, fields });
const codes = (r: { body: any }) => Object.fromEntries(r.body.error.fields.map((f: any) => [f.path, f.code]));

test.before(async () => {
  k = await startTestServer();
  admin = await k.login();
});
test.after.always(async () => {
  await k?.close();
});

test.serial(
  'LEAVESET-INFO-5 texts and fields per settings: defaults per language, limits, required implies shown, a contact field when one is required',
  async (t) => {
    const lm = (await config()).leaveMessage;
    t.like(lm.texts['zh-CN'], {
      title: '留言',
      intro: '您好,目前客服不在线。请留下您的联系方式和问题,我们会尽快与您联系。',
      thanks: '留言已提交,感谢您的支持!',
    });
    t.like(lm.texts.en, { title: 'Leave a message', thanks: 'Thank you! Your message has been sent.' });
    t.deepEqual(
      lm.fields.map((f: any) => f.key),
      ['name', 'mobile', 'email', 'content'],
      'name, mobile and E_mail shown by default; content always',
    );
    t.true(lm.requireContact, '至少填写一种联系方式 is on by default');

    const tooLong = await saveLeave({ texts: { 'zh-CN': { title: 'x'.repeat(31), intro: 'y'.repeat(501), thanks: 'z'.repeat(201) } } });
    t.is(tooLong.status, 400);
    t.deepEqual(Object.values(codes(tooLong)).length, 3, 'title ≤ 30, intro ≤ 500, thanks ≤ 200');
    const hiddenRequired = await saveLeave({ fields: { qq: { shown: false, required: true } } });
    t.is(hiddenRequired.status, 400);
    t.is(codes(hiddenRequired)['settings.leaveMessage.fields.qq.required'], 'required_field_hidden');
    const noContact = await saveLeave({
      fields: {
        mobile: { shown: false, required: false },
        email: { shown: false, required: false },
        phone: { shown: false, required: false },
        qq: { shown: false, required: false },
      },
    });
    t.is(noContact.status, 400);
    t.is(Object.values(codes(noContact))[0], 'contact_field_required');

    const saved = await saveLeave({
      texts: { 'zh-CN': { title: '给我们留言', intro: '请留下问题', thanks: '谢谢' } },
      fields: { company: { shown: true, required: true }, subject: { shown: true, required: false } },
    });
    t.is(saved.status, 200, saved.text);
    const after = (await config()).leaveMessage;
    t.like(after.texts['zh-CN'], { title: '给我们留言', intro: '请留下问题', thanks: '谢谢' });
    t.true(after.fields.some((f: any) => f.key === 'company' && f.required));
    const missing = await submit({ name: 'Ann', email: 'ann@example.com', content: 'Hello' });
    t.is(missing.status, 400);
    t.is(codes(missing)['fields.company'], 'required', 'the form follows the settings');
    t.is((await submit({ name: 'Ann', email: 'ann@example.com', company: 'Acme', subject: 'Hi', content: 'Hello' })).status, 201);
  },
);

test.serial(
  'LEAVESET-SWITCH-1 switched off, the form is not offered, the offline notice is, and a leave-message request answers leave_message_disabled',
  async (t) => {
    t.true((await config()).leaveMessage.enabled, 'on by default');
    t.is((await saveLeave({ enabled: false })).status, 200);
    const c = await config();
    t.false(c.leaveMessage.enabled);
    t.is(c.texts['zh-CN'].offline, '当前没有客服在线,请稍后再来。');
    t.is(c.texts.en.offline, 'No agents are online right now. Please come back later.');
    const r = await submit({ name: 'Bo', email: 'bo@example.com', content: 'Anyone?' });
    t.is(r.status, 409);
    t.is(r.body.error.code, 'leave_message_disabled');
    const v = await visitorSocket(k.url, k.company.publicId);
    const ack = await call(v.socket, 'leavemsg.submit', { fields: { name: 'Bo', email: 'bo@example.com', content: 'Anyone?' } });
    t.is(ack.error.code, 'leave_message_disabled');
    v.socket.close();
    t.is((await saveLeave({ enabled: true })).status, 200);
  },
);

test.serial('LEAVESET-URL-7 an external page must be http(s) ≤ 2048; when set, the widget is given it and Kefu stores nothing', async (t) => {
  for (const url of ['ftp://example.com/form', 'javascript:alert(1)', `https://example.com/${'a'.repeat(2048)}`]) {
    const r = await saveLeave({ externalUrl: url });
    t.is(r.status, 400, url.slice(0, 30));
    t.is(Object.values(codes(r))[0], url.length > 2048 ? 'too_big' : 'invalid_url');
  }
  t.is((await saveLeave({ externalUrl: 'https://forms.example.com/contact' })).status, 200);
  t.is((await config()).leaveMessage.externalUrl, 'https://forms.example.com/contact');
  const before = await k.server.db('leave_messages').where({ company_id: k.company.id }).count({ n: '*' });
  const r = await submit({ name: 'Cy', email: 'cy@example.com', content: 'Here?' });
  t.is(r.status, 409);
  t.like(r.body.error, { code: 'leave_message_external', url: 'https://forms.example.com/contact' });
  t.deepEqual(await k.server.db('leave_messages').where({ company_id: k.company.id }).count({ n: '*' }), before, 'nothing stored');
  t.is((await saveLeave({ externalUrl: null })).status, 200);
});

test.serial('LEAVESET-TYPES-6 types: five defaults, 1–20 of ≤ 20 characters, new leave-messages untyped, a type in use needs a replacement', async (t) => {
  t.deepEqual((await admin.get('/api/settings/widget')).body.settings.leaveMessage.types, ['咨询', '售后', '投诉', '建议', '其他']);
  t.deepEqual((await admin.get('/api/leave-messages/options')).body.types, ['咨询', '售后', '投诉', '建议', '其他'], 'what agents pick from');
  t.deepEqual(codes(await saveLeave({ types: [] })), { 'settings.leaveMessage.types': 'too_small' });
  t.is((await saveLeave({ types: Array.from({ length: 21 }, (_, i) => `t${i}`) })).status, 400);
  t.is((await saveLeave({ types: ['x'.repeat(21)] })).status, 400);

  const made = await submit({ name: 'Types', company: 'Acme', mobile: '13900139000', content: 'Where is my parcel?' });
  t.is(made.status, 201, made.text);
  const [lm] = (await admin.get('/api/leave-messages')).body.items;
  t.is(lm.type, null, 'a new leave-message has no type');
  t.is((await admin.patch(`/api/leave-messages/${lm.id}`, { type: '售后', version: lm.version })).status, 200);

  const inUse = await saveLeave({ types: ['咨询', '投诉', '建议', '其他'] });
  t.is(inUse.status, 409);
  t.is(inUse.body.error.code, 'type_in_use');
  t.deepEqual(inUse.body.error.types, [{ type: '售后', count: 1 }]);
  t.is(
    (await admin.post('/api/settings/leave-message/types/replace', { from: '售后', to: '售后' })).status,
    400,
    'the replacement must be another current type',
  );
  t.deepEqual((await admin.post('/api/settings/leave-message/types/replace', { from: '售后', to: '投诉' })).body, { moved: 1 });
  t.is((await saveLeave({ types: ['咨询', '投诉', '建议', '其他'] })).status, 200, 'with the replacement chosen, it goes');
  t.is((await admin.get(`/api/leave-messages/${lm.id}`)).body.type, '投诉');
  t.is((await saveLeave({ types: ['咨询', '售后', '投诉', '建议', '其他'] })).status, 200);
});
