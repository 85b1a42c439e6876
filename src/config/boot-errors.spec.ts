import { describeBootError } from './boot-errors';

const errno = (props: Record<string, unknown>, message = 'x') => Object.assign(new Error(message), props);

describe('describeBootError', () => {
  it.each([
    [errno({ syscall: 'listen', code: 'EADDRINUSE', address: '::', port: 3000 }), 'listen', /\[::\]:3000: the port is already in use.*PORT/],
    [errno({ syscall: 'listen', code: 'EADDRNOTAVAIL', address: '10.9.9.9', port: 3000 }), 'listen', /HUB_HOST/],
    [errno({ syscall: 'listen', code: 'EACCES', address: '0.0.0.0', port: 80 }), 'listen', /Set PORT to 1024 or above/],
    [errno({ syscall: 'getaddrinfo', code: 'ENOTFOUND', hostname: 'nowhere.invalid' }), 'listen', /HUB_HOST "nowhere.invalid"/],
    [errno({ syscall: 'getaddrinfo', code: 'ENOTFOUND', hostname: 'db.invalid' }), 'start', /"db.invalid" does not resolve.*HUB_DATABASE_URL/],
    [errno({ syscall: 'connect', code: 'ECONNREFUSED', address: '127.0.0.1', port: 5433 }), 'start', /127\.0\.0\.1:5433: connection refused.*HUB_DATABASE_URL/],
    [errno({ severity: 'FATAL', code: '28P01' }, 'password authentication failed for user "hub"'), 'start', /user or password in HUB_DATABASE_URL/],
    [errno({ severity: 'FATAL', code: '3D000' }, 'database "hub" does not exist'), 'start', /database "hub" does not exist.*HUB_DATABASE_URL/],
    [errno({ code: 'SQLITE_CANTOPEN' }), 'start', /HUB_DATA_DIR/],
  ] as const)('%s while %s', (error, phase, message) => {
    const line = describeBootError(error, phase);
    expect(line).toMatch(message);
    expect(line).not.toContain('\n');
  });

  it('leaves anything else to the stack trace', () => {
    expect(describeBootError(new TypeError('undefined is not a function'), 'start')).toBeNull();
    expect(describeBootError(errno({ severity: 'ERROR', code: '42P01' }), 'start')).toBeNull();
    expect(describeBootError(errno({ syscall: 'listen', code: 'EMFILE' }), 'listen')).toBeNull();
  });
});
