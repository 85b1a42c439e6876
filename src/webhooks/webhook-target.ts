import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { HubError } from '../common/errors';

/**
 * Where the hub may send webhooks: http(s) only, and never a link-local or cloud-metadata address
 * (169.254.0.0/16 holds the AWS/GCP/Azure/OpenStack metadata services, fe80::/10 is IPv6 link-local,
 * fd00:ec2::254 is AWS's IPv6 one, 100.100.100.200 Alibaba's). Loopback and private addresses only
 * where the endpoint may (`privateAllowed`): a self-hosted hub's operator often delivers inside
 * their own network, but a tenant's key must not reach into the hub's (HUB_WEBHOOK_PRIVATE_TARGETS).
 * The check runs at create and again on every delivery against the address actually connected to,
 * so a name that resolves elsewhere later cannot reach them.
 */
const FORBIDDEN = new BlockList();
FORBIDDEN.addSubnet('169.254.0.0', 16, 'ipv4');
FORBIDDEN.addAddress('100.100.100.200', 'ipv4');
FORBIDDEN.addSubnet('fe80::', 10, 'ipv6');
FORBIDDEN.addAddress('fd00:ec2::254', 'ipv6');

/** Loopback, private, carrier-grade NAT, "this network" and unique-local addresses. */
const PRIVATE = new BlockList();
PRIVATE.addSubnet('127.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('10.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('172.16.0.0', 12, 'ipv4');
PRIVATE.addSubnet('192.168.0.0', 16, 'ipv4');
PRIVATE.addSubnet('100.64.0.0', 10, 'ipv4');
PRIVATE.addSubnet('0.0.0.0', 8, 'ipv4');
PRIVATE.addAddress('::1', 'ipv6');
PRIVATE.addAddress('::', 'ipv6');
PRIVATE.addSubnet('fc00::', 7, 'ipv6');

const FORBIDDEN_HINT = 'link-local and cloud-metadata addresses (169.254.0.0/16, fe80::/10) are never webhook targets';
const PRIVATE_HINT =
  'loopback and private addresses are webhook targets only for endpoints without a tenant (HUB_WEBHOOK_PRIVATE_TARGETS=untenanted, the default; all or none change that)';

/** Whether the hub refuses `address` as a webhook target; `privateAllowed`: loopback and private ones are fine. */
export function isForbiddenAddress(address: string, privateAllowed = true): boolean {
  return forbiddenBecause(address, privateAllowed) !== null;
}

function forbiddenBecause(address: string, privateAllowed: boolean): string | null {
  const plain = address.replace(/^\[|\]$/g, '');
  // An IPv4 address written as IPv6 (::ffff:169.254.169.254) is checked as the IPv4 it is.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(plain);
  const ip = mapped ? mapped[1]! : plain;
  const family = isIP(ip);
  if (family === 0) return null;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (FORBIDDEN.check(ip, type)) return FORBIDDEN_HINT;
  if (!privateAllowed && PRIVATE.check(ip, type)) return PRIVATE_HINT;
  return null;
}

/** Validates a webhook URL at create/PATCH: 400 WEBHOOK_URL_NOT_ALLOWED saying what to fix. */
export async function assertAllowedTarget(text: string, privateAllowed: boolean): Promise<URL> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw refused(`url must be an absolute http(s) URL such as https://example.com/hooks, got "${text}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refused(`url must use http or https, not ${url.protocol.replace(':', '')}`);
  if (url.username || url.password) throw refused('url must not carry a user name or password; the signature authenticates the hub');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    const why = forbiddenBecause(host, privateAllowed);
    if (why) throw refused(`url points at ${host}: ${why}`);
    return url;
  }
  let addresses: LookupAddress[];
  try {
    addresses = await new Promise((resolve, reject) => dnsLookup(host, { all: true }, (error, found) => (error ? reject(error) : resolve(found))));
  } catch {
    throw refused(`the host ${host} of url does not resolve; check the name`);
  }
  for (const { address } of addresses) {
    const why = forbiddenBecause(address, privateAllowed);
    if (why) throw refused(`the host ${host} resolves to ${address}: ${why}`);
  }
  return url;
}

/** The error a delivery records when its host resolves to a forbidden address at send time. */
export class ForbiddenTargetError extends Error {
  readonly code = 'WEBHOOK_TARGET_FORBIDDEN';
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

export type Resolver = (hostname: string, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

const systemResolver: Resolver = (hostname, callback) => dnsLookup(hostname, { all: true }, callback);

/**
 * A dns.lookup for http.request that refuses forbidden addresses: what the socket then connects to
 * is what was checked, so a name re-pointed after the endpoint was created gets nothing.
 */
export function guardedLookup(privateAllowed: boolean, resolve: Resolver = systemResolver) {
  return (hostname: string, options: { all?: boolean; family?: number }, callback: LookupCallback): void => guarded(resolve, privateAllowed, hostname, options, callback);
}

function guarded(resolve: Resolver, privateAllowed: boolean, hostname: string, options: { all?: boolean; family?: number }, callback: LookupCallback): void {
  resolve(hostname, (error, found) => {
    const addresses = options.family === 4 || options.family === 6 ? found?.filter((a) => a.family === options.family) : found;
    if (error) return callback(error, []);
    // Any forbidden address refuses the name, whichever family this socket wants.
    for (const { address } of found) {
      const why = forbiddenBecause(address, privateAllowed);
      if (why) return callback(new ForbiddenTargetError(`${hostname} resolved to ${address}: ${why}`), []);
    }
    if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
}

/** Refuses a literal forbidden address (sockets skip lookup for those). */
export function assertSendable(url: URL, privateAllowed: boolean): void {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const why = isIP(host) ? forbiddenBecause(host, privateAllowed) : null;
  if (why) throw new ForbiddenTargetError(`${host}: ${why}`);
}

/** Whether an endpoint of this tenant may target loopback and private addresses, by HUB_WEBHOOK_PRIVATE_TARGETS. */
export function privateTargetsAllowed(policy: 'untenanted' | 'all' | 'none', tenantId: string | null): boolean {
  return policy === 'all' || (policy === 'untenanted' && tenantId === null);
}

function refused(message: string): HubError {
  return new HubError('WEBHOOK_URL_NOT_ALLOWED', message, { details: { field: 'url' } });
}
