import { z } from 'zod';
import { createAgentBody } from '../accounts/agent-schemas.ts';

export const signupMode = z.enum(['closed', 'invite', 'open']);

export const signupConfigView = z.object({ mode: signupMode });

export const signupChallengeView = z.object({ challengeId: z.string(), image: z.string(), expiresAt: z.string() });

/** The registration form (SPEC LOGIN-REGISTER-13); the password rules are PROFILE-PASSWORD-3's, checked by the service. */
export const signupBody = z.strictObject({
  companyName: z.string().trim().min(1).max(100),
  agentId: createAgentBody.shape.agentId,
  nickname: z.string().trim().min(1).max(20),
  email: z.email().max(254),
  password: z.string().min(1).max(128),
  challengeId: z.uuid(),
  answer: z.string().trim().min(1).max(10),
  /** The token of the operator's invitation link, in `invite` mode. */
  invite: z.string().min(1).max(100).optional(),
});
export type SignupBody = z.infer<typeof signupBody>;

export const signupResult = z.object({ companyId: z.number(), agentId: z.string() });

export const signupInviteView = z.object({ token: z.string(), url: z.string(), expiresAt: z.string() });
