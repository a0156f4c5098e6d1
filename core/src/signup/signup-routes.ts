import type { ApiRouter } from '../http/api-router.ts';
import type { DependencyContainer } from '../infra/di.ts';
import { signupBody, signupChallengeView, signupConfigView, signupInviteView, signupResult } from './signup-schemas.ts';
import { SignupService } from './signup-service.ts';

/** 帐号注册 (SPEC LOGIN-REGISTER-13): whether it is offered, its image challenge, the form, and the operator's links. */
export function registerSignupRoutes(api: ApiRouter, c: DependencyContainer) {
  const signup = c.resolve(SignupService);
  const tags = ['signup'];
  api.route({
    method: 'get',
    path: '/api/signup',
    summary: 'Whether registration is closed, by invitation or open (KEFU_SIGNUP); the login page shows its link only when open',
    tags,
    auth: 'public',
    response: signupConfigView,
    handler: () => ({ mode: signup.mode }),
  });
  api.route({
    method: 'post',
    path: '/api/signup/challenge',
    summary: 'A new image challenge for the registration form (404 while registration is closed)',
    tags,
    auth: 'public',
    response: signupChallengeView,
    handler: () => signup.challenge(),
  });
  api.route({
    method: 'post',
    path: '/api/signup',
    summary: 'Register a company and its primary administrator (404 while closed; invite mode needs the link’s token; 3 per IP a day)',
    tags,
    auth: 'public',
    body: signupBody,
    response: signupResult,
    status: 201,
    handler: ({ body, ctx }) => signup.register(body, ctx.state.ip),
  });
  api.route({
    method: 'post',
    path: '/api/operator/signup-invites',
    summary: 'Operator: a single-use registration link, valid 7 days (KEFU_SIGNUP=invite)',
    tags: ['operator'],
    auth: 'operator',
    response: signupInviteView,
    status: 201,
    handler: () => signup.createInvite(),
  });
}
