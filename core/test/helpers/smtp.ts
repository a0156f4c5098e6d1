import type net from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  raw: string;
  /** The credentials the client signed in with, if it did. */
  auth?: { user: string; pass: string };
}

/** A real SMTP server on a free port (sign-in optional, recorded); `refuse` makes it answer 451 to MAIL FROM. */
export async function smtp(refuse = false) {
  const received: ReceivedMail[] = [];
  let auth: ReceivedMail['auth'];
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(a, _s, cb) {
      auth = { user: a.username ?? '', pass: a.password ?? '' };
      cb(null, { user: a.username });
    },
    onMailFrom(_a, _s, cb) {
      if (refuse) return cb(Object.assign(new Error('Mailbox busy, try later'), { responseCode: 451 }));
      cb();
    },
    onData(stream, session, cb) {
      let raw = '';
      stream.on('data', (d) => (raw += d.toString()));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw, auth });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { received, port: (server.server.address() as net.AddressInfo).port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** The text of a received mail: headers unfolded away, quoted-printable decoded (nodemailer's choice for long UTF-8 text). */
export function mailText(raw: string): string {
  const body = raw.slice(raw.search(/\r?\n\r?\n/));
  const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8').replace(/\r\n/g, '\n');
}
