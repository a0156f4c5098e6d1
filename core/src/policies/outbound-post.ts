import http from 'node:http';
import https from 'node:https';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';

export interface PostResult {
  status: number;
  latencyMs: number;
}

export interface OutboundOptions {
  /** Private, loopback, link-local and other non-public addresses (operator setting, default off). */
  allowPrivate: boolean;
  allowHttp: boolean;
  timeoutMs: number;
  userAgent: string;
}

const MAX_REDIRECTS = 3;

/**
 * POSTs a JSON body under the outbound rules of the SPEC ("Outside services"):
 * the address is checked after DNS resolution on the very connection that is
 * used (request-filtering-agent), and again for every redirect; 307/308 are
 * followed with the same body, other redirects count as failures.
 */
export class OutboundPost {
  private readonly agents: { http: http.Agent; https: https.Agent };

  constructor(private readonly opts: OutboundOptions) {
    const filter = { allowPrivateIPAddress: opts.allowPrivate, keepAlive: false };
    this.agents = { http: new RequestFilteringHttpAgent(filter), https: new RequestFilteringHttpsAgent(filter) };
  }

  async post(url: string, body: string, headers: Record<string, string>): Promise<PostResult> {
    const started = Date.now();
    let target = new URL(url);
    for (let hop = 0; ; hop++) {
      if (target.protocol !== 'https:' && !(target.protocol === 'http:' && this.opts.allowHttp))
        throw new Error(`refused: ${target.protocol} URLs are not allowed`);
      const { status, location } = await this.once(target, body, headers, started);
      if ((status === 307 || status === 308) && location && hop < MAX_REDIRECTS) {
        target = new URL(location, target);
        continue;
      }
      return { status, latencyMs: Date.now() - started };
    }
  }

  private once(url: URL, body: string, headers: Record<string, string>, started: number): Promise<{ status: number; location?: string }> {
    const lib = url.protocol === 'https:' ? https : http;
    const left = Math.max(1, this.opts.timeoutMs - (Date.now() - started));
    return new Promise((resolve, reject) => {
      const req = lib.request(
        url,
        {
          method: 'POST',
          agent: url.protocol === 'https:' ? this.agents.https : this.agents.http,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': this.opts.userAgent, ...headers },
        },
        (res) => {
          res.resume(); // the answer's body is not needed, only its status
          res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }));
          res.on('error', reject);
        },
      );
      // A whole-exchange deadline: a server that trickles bytes must not hold the job.
      const timer = setTimeout(() => req.destroy(new Error(`timed out after ${this.opts.timeoutMs} ms`)), left);
      req.on('close', () => clearTimeout(timer));
      req.on('error', reject);
      req.end(body);
    });
  }
}
