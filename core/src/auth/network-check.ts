import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { TOKENS } from '../tokens.ts';
import { consumeOrRefuse, makeLimiter } from './login-rate-limit.ts';

/**
 * 获取IP of the login page's network check (LOGIN-NETWORK-12): the caller's own address as the
 * server sees it (after the trusted-proxy rules), nothing else; 10 calls a minute per address.
 */
export function registerNetworkCheckRoutes(api: ApiRouter, c: DependencyContainer) {
  const limiter = makeLimiter(c.resolve(TOKENS.Db), 'client_ip', 10, 60);
  api.route({
    method: 'get',
    path: '/api/auth/client-ip',
    summary: 'The caller’s address as the server sees it (network check before login)',
    tags: ['auth'],
    auth: 'public',
    response: z.object({ ip: z.string() }),
    handler: async ({ ctx }) => {
      const ip = ctx.state.ip as string;
      await consumeOrRefuse(limiter, ip);
      ctx.set('Cache-Control', 'no-store');
      return { ip };
    },
  });
}
