/** Names other modules refer to; the shell is the parent of every signed-in screen, plugins' too. */
export const ROUTE = {
  login: 'login',
  shell: 'shell',
  home: 'home',
  notFound: 'not-found',
  restricted: 'restricted',
  changePassword: 'change-password',
} as const;

/** Where an agent obliged to use a dynamic password binds it (a screen of the `otp` plugin). */
export const OTP_BIND_PATH = '/plugins/otp/bind';
