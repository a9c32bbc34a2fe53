// Where the admin surfaces live, for the pages that link to them and the start-up summary that prints them.
export const ADMIN_PATHS = {
  /** the operators' console (conversations); where a sign-in lands */
  console: '/admin/chats',
  /** the bot simulator: talk to the bot as a customer, through the whole pipeline */
  simulator: '/admin/simulator',
  dashboard: '/admin',
  queues: '/admin/queues',
  login: '/admin/login',
  logout: '/admin/logout',
  setup: '/admin/setup',
} as const;
