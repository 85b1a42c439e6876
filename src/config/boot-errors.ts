/**
 * Turns the failures a person can fix at boot into one line naming the variable to change: the
 * port is taken, the listen address is not this machine's, PostgreSQL is down or the database is
 * missing, the SQLite file cannot be opened. `phase` says whether the hub was starting (database)
 * or listening (PORT, HUB_HOST) when it failed. Returns null for anything else (a bug: print the stack).
 * Nothing here quotes a database URL, so a password in HUB_DATABASE_URL never reaches the terminal.
 */
export function describeBootError(error: unknown, phase: 'start' | 'listen'): string | null {
  if (!(error instanceof Error)) return null;
  const e = error as NodeJS.ErrnoException & { address?: string; port?: number; severity?: string; hostname?: string };
  const where = e.address !== undefined ? `${e.address.includes(':') ? `[${e.address}]` : e.address}${e.port !== undefined ? `:${e.port}` : ''}` : '';

  if (e.syscall === 'listen') {
    switch (e.code) {
      case 'EADDRINUSE':
        return `Cannot listen on ${where}: the port is already in use. Stop the other process or set PORT to a free port (HUB_HOST picks the address).`;
      case 'EADDRNOTAVAIL':
        return `Cannot listen on ${where}: the address is not one of this machine's. Set HUB_HOST to a local address (or leave it unset for all interfaces).`;
      case 'EACCES':
        return `Cannot listen on ${where}: ports below 1024 need privileges. Set PORT to 1024 or above.`;
    }
  }
  if (phase === 'listen' && e.syscall === 'getaddrinfo') {
    return `Cannot listen on HUB_HOST "${e.hostname ?? '?'}": the name does not resolve. Set HUB_HOST to an address of this machine.`;
  }
  if (phase === 'listen') return null;
  if (e.syscall === 'getaddrinfo') {
    return `Cannot reach PostgreSQL: the host "${e.hostname ?? '?'}" does not resolve. Check the host in HUB_DATABASE_URL.`;
  }
  const network: Record<string, string> = {
    ECONNREFUSED: 'connection refused (is PostgreSQL running there?)',
    ETIMEDOUT: 'the connection timed out',
    EHOSTUNREACH: 'the host is unreachable',
    ENETUNREACH: 'the network is unreachable',
    ECONNRESET: 'the connection was reset',
  };
  if (e.syscall === 'connect' || (error instanceof AggregateError && e.code && network[e.code])) {
    const target = where || (error instanceof AggregateError ? firstAddress(error) : '');
    return `Cannot reach PostgreSQL${target ? ` at ${target}` : ''}: ${network[e.code ?? ''] ?? e.code}. Check HUB_DATABASE_URL.`;
  }
  // pg's own connect timeout: the host took the connection (or dropped it silently) and never answered.
  if (/connection timeout|timeout expired/i.test(e.message) && !e.code) {
    return 'Cannot reach PostgreSQL: no answer within 10 s (a firewall dropping packets, or not PostgreSQL on that port?). Check the host and port in HUB_DATABASE_URL.';
  }
  // PostgreSQL's own answers (SQLSTATE codes) while connecting.
  if (typeof e.severity === 'string' && typeof e.code === 'string') {
    switch (e.code) {
      case '3D000':
        return `PostgreSQL: ${e.message}. Create it (createdb <name>) or fix the database name in HUB_DATABASE_URL.`;
      case '28P01':
      case '28000':
        return `PostgreSQL refused the login: ${e.message}. Fix the user or password in HUB_DATABASE_URL.`;
      case '3F000':
        return `PostgreSQL: ${e.message}. Create the schema or fix the search_path option in HUB_DATABASE_URL.`;
      case '42501':
        return `PostgreSQL: ${e.message}. Grant the user of HUB_DATABASE_URL the right to create tables, or use another user.`;
    }
    return null;
  }
  if (typeof e.code === 'string' && e.code.startsWith('SQLITE_CANTOPEN')) {
    return 'Cannot open the SQLite file hub.sqlite: check that HUB_DATA_DIR exists and is writable by this user.';
  }
  if (e.code === 'EACCES' || e.code === 'EROFS') {
    return `Cannot write ${e.path ?? 'the data dir'}: ${e.code === 'EROFS' ? 'read-only file system' : 'permission denied'}. Set HUB_DATA_DIR to a directory this user can write.`;
  }
  return null;
}

function firstAddress(error: AggregateError): string {
  const inner = error.errors.find((x) => (x as { address?: string }).address) as { address: string; port?: number } | undefined;
  return inner ? `${inner.address.includes(':') ? `[${inner.address}]` : inner.address}${inner.port !== undefined ? `:${inner.port}` : ''}` : '';
}
