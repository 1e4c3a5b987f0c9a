import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { Agent } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { ValidationError } from './errors.js';

const privateV4: [number, number][] = [
  [0x00000000, 8], // 0.0.0.0/8
  [0x0a000000, 8], // 10/8
  [0x64400000, 10], // 100.64/10 (carrier NAT)
  [0x7f000000, 8], // 127/8
  [0xa9fe0000, 16], // 169.254/16 (link-local, cloud metadata)
  [0xac100000, 12], // 172.16/12
  [0xc0000000, 24], // 192.0.0/24
  [0xc0a80000, 16], // 192.168/16
  [0xc6120000, 15], // 198.18/15
  [0xe0000000, 3], // multicast and reserved
];

/** Loopback, private, link-local and other non-public addresses: never a CRM portal. */
export function isPrivateAddress(address: string): boolean {
  if (isIP(address) === 4) {
    const n = address.split('.').reduce((a, p) => a * 256 + Number(p), 0);
    return privateV4.some(([net, bits]) => Math.floor(n / 2 ** (32 - bits)) === Math.floor(net / 2 ** (32 - bits)));
  }
  const a = address.toLowerCase();
  if (a.startsWith('::ffff:')) return isPrivateAddress(a.slice(7));
  return a === '::' || a === '::1' || /^f[cd]/.test(a) || /^fe[89ab]/.test(a) || a.startsWith('ff');
}

/** A DNS lookup that refuses names resolving to non-public addresses, checked at connection time (no rebinding). */
export const publicLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, '', 0);
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    if (bad || !addresses.length) {
      return callback(Object.assign(new Error(`${hostname} resolves to a non-public address`), { code: 'EPRIVATE' }), '', 0);
    }
    if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    return callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

/** An HTTPS agent for untrusted hosts: public addresses only. */
export function publicOnlyAgent(): Agent {
  return new Agent({ lookup: publicLookup, keepAlive: true });
}

/**
 * Checks an untrusted portal address before anything connects to it: https, a host name (not a bare
 * private address), no credentials, port, path or query. `allowPrivate` is for the sandbox only.
 */
export function untrustedOrigin(value: string, allowPrivate = false): string {
  let u: URL;
  try {
    u = new URL(/^[a-z]+:\/\//i.test(value) ? value : `https://${value}`);
  } catch {
    throw new ValidationError(`not a portal address: ${JSON.stringify(value.slice(0, 100))}`);
  }
  if (u.protocol !== 'https:') throw new ValidationError('a portal must be reached over https');
  if (u.username || u.password || (u.pathname !== '/' && u.pathname !== '') || u.search || u.hash) {
    throw new ValidationError('a portal address is a bare https origin');
  }
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate) {
    if (u.port) throw new ValidationError('a portal address has no port');
    if (isIP(host) ? isPrivateAddress(host) : host === 'localhost' || !host.includes('.')) {
      throw new ValidationError(`${host} is not a public host`);
    }
  }
  return u.origin;
}
