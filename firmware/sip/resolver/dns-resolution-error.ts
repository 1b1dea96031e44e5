/**
 * Why RFC 3263 server location failed. `domain` is the name that could not be
 * resolved, so the message a user sees can name it (`example.test does not
 * exist (NXDOMAIN)`).
 */
export type DnsFailureCode =
  | 'NXDOMAIN'
  | 'NODATA'
  | 'TIMEOUT'
  | 'SERVFAIL'
  | 'REFUSED'
  | 'UNSUPPORTED_TRANSPORT'
  | 'OTHER';

export class DnsResolutionError extends Error {
  constructor(
    message: string,
    readonly domain: string,
    readonly code: DnsFailureCode,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'DnsResolutionError';
  }
}

/** Maps a `node:dns` error code (`ENOTFOUND`, `ETIMEOUT`...) to ours. */
export function dnsFailureCodeOf(error: unknown): DnsFailureCode {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  switch (code) {
    case 'ENOTFOUND':
      return 'NXDOMAIN';
    case 'ENODATA':
      return 'NODATA';
    case 'ETIMEOUT':
      return 'TIMEOUT';
    case 'ESERVFAIL':
      return 'SERVFAIL';
    case 'EREFUSED':
    case 'ECONNREFUSED':
      return 'REFUSED';
    default:
      return 'OTHER';
  }
}

/** Human wording for a failure code, used in error messages. */
export function describeDnsFailure(domain: string, code: DnsFailureCode): string {
  switch (code) {
    case 'NXDOMAIN':
      return `${domain} does not exist (NXDOMAIN)`;
    case 'NODATA':
      return `${domain} has no A/AAAA records`;
    case 'TIMEOUT':
      return `DNS query for ${domain} timed out`;
    case 'SERVFAIL':
      return `DNS server failed for ${domain} (SERVFAIL)`;
    case 'REFUSED':
      return `DNS server refused the query for ${domain}`;
    case 'UNSUPPORTED_TRANSPORT':
      return `no supported transport for ${domain}`;
    case 'OTHER':
      return `DNS lookup of ${domain} failed`;
  }
}
