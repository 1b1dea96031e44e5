import { isIP } from 'node:net';

/** `::ffff:127.0.0.1` (an IPv4 peer on a dual-stack socket) → `127.0.0.1`. */
export function normalizeAddress(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

export function familyOf(address: string): 4 | 6 {
  return isIP(address) === 6 ? 6 : 4;
}

export function isLoopback(address: string): boolean {
  const normalized = normalizeAddress(address);
  return normalized === '::1' || normalized.startsWith('127.');
}

export function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}

/** `host:port` with IPv6 in brackets (RFC 3261 §19.1.2 / RFC 5118). */
export function formatHostPort(address: string, port: number): string {
  return `${familyOf(address) === 6 ? `[${address}]` : address}:${port}`;
}
