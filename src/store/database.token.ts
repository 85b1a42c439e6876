/** Injection token of the Kysely database (SQLite or PostgreSQL). */
export const HUB_DATABASE = Symbol('HUB_DATABASE');
