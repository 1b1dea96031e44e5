/** A transport address of RTP or RTCP (IP address + UDP port). */
export interface RtpEndpoint {
  readonly address: string;
  readonly port: number;
}

/** `::ffff:192.0.2.1` (an IPv4 peer seen on a dual-stack socket) → `192.0.2.1`; IPv6 lowercased. */
export function normalizeIpAddress(address: string): string {
  const lower = address.toLowerCase();
  return lower.startsWith('::ffff:') && lower.includes('.') ? lower.slice(7) : lower;
}

export function ipFamilyOf(address: string): 4 | 6 {
  return normalizeIpAddress(address).includes(':') ? 6 : 4;
}

export function sameIpAddress(a: string, b: string): boolean {
  return normalizeIpAddress(a) === normalizeIpAddress(b);
}

export function sameEndpoint(a: RtpEndpoint, b: RtpEndpoint): boolean {
  return a.port === b.port && sameIpAddress(a.address, b.address);
}

/** `192.0.2.1:4000`, `[::1]:4000`. */
export function formatEndpoint(endpoint: RtpEndpoint): string {
  const address = normalizeIpAddress(endpoint.address);
  return address.includes(':') ? `[${address}]:${endpoint.port}` : `${address}:${endpoint.port}`;
}
