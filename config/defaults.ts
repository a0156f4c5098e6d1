/** Defaults for every configuration key; README's configuration table mirrors this file. */
export const defaults = {
  PORT: 3000,
  HOST: '0.0.0.0',
  KEFU_DATA_DIR: './data',
  KEFU_TRUSTED_PROXIES: '127.0.0.1,::1',
  KEFU_LICENCE_MODE: 'open',
  KEFU_BODY_LIMIT: '1mb',
  KEFU_PLUGINS_DIR: './plugins',
  KEFU_OUTBOUND_ALLOW_PRIVATE: 'false',
  KEFU_OUTBOUND_ALLOW_HTTP: 'false',
  KEFU_VISITOR_FLOOD: '10/10/30',
  KEFU_FEEDBACK_TO_ADMINS: 'false',
  KEFU_SIGNUP: 'closed',
  LOG_LEVEL: 'info',
  NODE_ENV: 'development',
} as const;
