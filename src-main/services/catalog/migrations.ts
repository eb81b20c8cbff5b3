/**
 * Versioned schema migrations; index i holds the SQL that takes user_version i to i+1.
 * Never edit a migration that has shipped: append a new one.
 */
export const MIGRATIONS: readonly string[] = [
  /* 1: bookkeeping */ `
  CREATE TABLE app_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `,
];
