/**
 * A unique index refused the row (PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_UNIQUE); with `column`,
 * only when that column's index did (PostgreSQL names the index in `constraint`, SQLite the column
 * in its message).
 */
export function isUniqueViolation(error: unknown, index?: { name: string; column: string }): boolean {
  const { code, constraint, message } = (error ?? {}) as { code?: unknown; constraint?: unknown; message?: unknown };
  if (code !== '23505' && code !== 'SQLITE_CONSTRAINT_UNIQUE') return false;
  if (!index) return true;
  return constraint === index.name || (typeof message === 'string' && message.includes(`.${index.column}`));
}
