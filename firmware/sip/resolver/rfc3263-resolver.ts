/**
 * RFC 3263 "Locating SIP Servers": turns a SIP/SIPS URI into an ordered list
 * of transport destinations (protocol, IP address, port), using NAPTR, SRV
 * and A/AAAA records.
 *
 * DNS goes through `node:dns` `Resolver` objects pointed at the configured
 * servers (never the process-wide resolver), with a timeout and a small
 * TTL-respecting cache. `node:dns` reports TTLs for A/AAAA answers only, so
 * NAPTR and SRV answers are kept for `srvNaptrTtlMs` (capped by `maxTtlMs`).
 */
import type { NaptrRecord, SrvRecord } from 'node:dns';
import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { systemClock, type Clock } from '../../core/clock.ts';
import { silentLogger, type Logger } from '../../log/logger.ts';
import type { SipUri } from '../message/types.ts';
import type { Destination, TransportProtocol } from '../transport/types.ts';
import { DnsCache, type CachedLookup } from './dns-cache.ts';
import {
  DnsResolutionError,
  describeDnsFailure,
  dnsFailureCodeOf,
  type DnsFailureCode,
} from './dns-resolution-error.ts';
import { orderSrvRecords } from './srv-order.ts';

/** The parts of a SIP URI server location looks at. */
export type ResolvableUri = Pick<SipUri, 'scheme' | 'host' | 'port' | 'params'>;

export type AddressFamily = 4 | 6;

export interface Rfc3263ResolverOptions {
  /** DNS servers (`127.0.0.1:5353`, `[::1]:53`). Absent or empty: the system's (from /etc/resolv.conf). */
  readonly servers?: readonly string[];
  /** Per-try query timeout. Default 2000 ms. */
  readonly timeoutMs?: number;
  /** Tries per query. Default 2. */
  readonly tries?: number;
  /** Transports we support, in order of preference (used when no NAPTR records exist). Default udp, tcp, tls. */
  readonly protocols?: readonly TransportProtocol[];
  /** Address families to look up, in order of preference. Default [4, 6]. */
  readonly addressFamilies?: readonly AddressFamily[];
  /** [0, 1) random source for RFC 2782 weighted selection. Default Math.random. */
  readonly random?: () => number;
  readonly clock?: Clock;
  /** The logger for `sip.resolver`. */
  readonly logger?: Logger;
  /** Cache lifetime of NAPTR/SRV answers (node:dns does not report their TTL). Default 300 000 ms. */
  readonly srvNaptrTtlMs?: number;
  /** Cache lifetime of "no such record" answers. Default 30 000 ms. */
  readonly negativeTtlMs?: number;
  /** Upper bound for any cache lifetime. Default 3 600 000 ms. */
  readonly maxTtlMs?: number;
  /** Default 256; 0 disables the cache. */
  readonly maxCacheEntries?: number;
}

/** RFC 3263 §4.1: NAPTR services for SIP, and the SRV prefixes of RFC 3263 §4.2 / RFC 5630. */
const NAPTR_SERVICES: ReadonlyMap<string, TransportProtocol> = new Map([
  ['SIP+D2U', 'udp'],
  ['SIP+D2T', 'tcp'],
  ['SIPS+D2T', 'tls'],
]);

const SRV_PREFIX: Readonly<Record<TransportProtocol, string>> = {
  udp: '_sip._udp.',
  tcp: '_sip._tcp.',
  tls: '_sips._tcp.',
};

interface AddressAnswer {
  readonly address: string;
  readonly ttl: number;
}

export class Rfc3263Resolver {
  private readonly dns: Resolver;
  private readonly cache: DnsCache;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly protocols: readonly TransportProtocol[];
  private readonly families: readonly AddressFamily[];
  private readonly random: () => number;
  private readonly srvNaptrTtlMs: number;
  private readonly negativeTtlMs: number;
  private readonly maxTtlMs: number;

  constructor(options: Rfc3263ResolverOptions = {}) {
    this.dns = new Resolver({ timeout: options.timeoutMs ?? 2_000, tries: options.tries ?? 2 });
    if (options.servers && options.servers.length > 0) this.dns.setServers([...options.servers]);
    this.clock = options.clock ?? systemClock;
    this.cache = new DnsCache({ clock: this.clock, maxEntries: options.maxCacheEntries ?? 256 });
    this.logger = options.logger ?? silentLogger;
    this.protocols = options.protocols ?? ['udp', 'tcp', 'tls'];
    this.families = options.addressFamilies ?? [4, 6];
    this.random = options.random ?? Math.random;
    this.srvNaptrTtlMs = options.srvNaptrTtlMs ?? 300_000;
    this.negativeTtlMs = options.negativeTtlMs ?? 30_000;
    this.maxTtlMs = options.maxTtlMs ?? 3_600_000;
  }

  /**
   * RFC 3263 §4: the ordered destinations for a URI. Throws `DnsResolutionError`
   * (naming the domain) when nothing usable is found.
   */
  async resolve(uri: ResolvableUri): Promise<Destination[]> {
    const secure = uri.scheme === 'sips';
    // RFC 3263 §4: maddr, when present, is the TARGET.
    const target = stripBrackets(paramValue(uri, 'maddr') ?? uri.host);
    const explicit = this.explicitProtocol(uri, target, secure);

    // RFC 3263 §4.1/§4.2: a numeric IP needs no DNS at all.
    if (isIP(target) !== 0) {
      const protocol = explicit ?? this.defaultProtocol(secure, target);
      return [{ protocol, address: target, port: uri.port ?? defaultPort(protocol) }];
    }
    const domain = target.toLowerCase().replace(/\.$/, '');

    // RFC 3263 §4.2: an explicit port means A/AAAA only, no SRV.
    if (uri.port !== null) {
      const protocol = explicit ?? this.defaultProtocol(secure, domain);
      return this.addressDestinations(domain, protocol, uri.port, domain);
    }

    // RFC 3263 §4.2: transport given, no port: SRV for that transport, else A/AAAA.
    if (explicit) {
      const viaSrv = await this.srvDestinations(SRV_PREFIX[explicit] + domain, explicit, domain);
      if (viaSrv.length > 0) return viaSrv;
      return this.addressDestinations(domain, explicit, defaultPort(explicit), domain);
    }

    // RFC 3263 §4.1: NAPTR, filtered to services we support, by order then preference.
    const naptr = await this.naptrFor(domain, secure);
    if (naptr.length > 0) {
      const found: Destination[] = [];
      for (const { record, protocol } of naptr) {
        found.push(...(await this.srvDestinations(record.replacement, protocol, domain)));
      }
      if (found.length > 0) return dedupe(found);
      this.logger.debug('NAPTR records led to no usable SRV records; trying SRV directly', { domain });
    }

    // RFC 3263 §4.1: no NAPTR: SRV queries for the transports we support.
    const found: Destination[] = [];
    for (const protocol of this.candidateProtocols(secure)) {
      found.push(...(await this.srvDestinations(SRV_PREFIX[protocol] + domain, protocol, domain)));
    }
    if (found.length > 0) return dedupe(found);

    // RFC 3263 §4.1/§4.2: no SRV: UDP (TLS for SIPS) to the A/AAAA records, default port.
    const protocol = this.defaultProtocol(secure, domain);
    return this.addressDestinations(domain, protocol, defaultPort(protocol), domain);
  }

  clearCache(): void {
    this.cache.clear();
  }

  /** Cancels outstanding queries (they reject with ECANCELLED). */
  close(): void {
    this.dns.cancel();
  }

  /** RFC 3263 §4.1: the `transport` URI parameter; SIPS over TCP means TLS. */
  private explicitProtocol(uri: ResolvableUri, domain: string, secure: boolean): TransportProtocol | undefined {
    const transport = paramValue(uri, 'transport')?.toLowerCase();
    if (transport === undefined) return undefined;
    let protocol: TransportProtocol | undefined;
    if (transport === 'udp') protocol = 'udp';
    else if (transport === 'tcp') protocol = secure ? 'tls' : 'tcp';
    else if (transport === 'tls') protocol = 'tls';
    if (protocol === undefined || (secure && protocol !== 'tls') || !this.protocols.includes(protocol)) {
      throw new DnsResolutionError(
        `RFC 3263: transport=${transport} is not supported for ${uri.scheme}:${domain}`,
        domain,
        'UNSUPPORTED_TRANSPORT',
      );
    }
    return protocol;
  }

  /** RFC 3263 §4.1: UDP for SIP, TLS (TCP) for SIPS when nothing else decides. */
  private defaultProtocol(secure: boolean, domain: string): TransportProtocol {
    const wanted: readonly TransportProtocol[] = secure ? ['tls'] : ['udp', 'tcp', 'tls'];
    const protocol = wanted.find((p) => this.protocols.includes(p));
    if (!protocol) {
      throw new DnsResolutionError(`RFC 3263: no supported transport for ${domain}`, domain, 'UNSUPPORTED_TRANSPORT');
    }
    return protocol;
  }

  private candidateProtocols(secure: boolean): TransportProtocol[] {
    return this.protocols.filter((p) => !secure || p === 'tls');
  }

  private async naptrFor(domain: string, secure: boolean): Promise<{ record: NaptrRecord; protocol: TransportProtocol }[]> {
    const records = await this.lookup<NaptrRecord[]>('NAPTR', domain, () => this.dns.resolveNaptr(domain));
    const usable: { record: NaptrRecord; protocol: TransportProtocol }[] = [];
    for (const record of records) {
      const protocol = NAPTR_SERVICES.get(record.service.toUpperCase());
      if (!protocol || record.flags.toLowerCase() !== 's' || !record.replacement) continue;
      if (secure && protocol !== 'tls') continue;
      if (!this.protocols.includes(protocol)) continue;
      usable.push({ record, protocol });
    }
    return usable.sort((a, b) => a.record.order - b.record.order || a.record.preference - b.record.preference);
  }

  /**
   * RFC 2782 order, then the addresses of each target. A target that does not
   * resolve is skipped with a log line (the caller falls back further).
   */
  private async srvDestinations(name: string, protocol: TransportProtocol, domain: string): Promise<Destination[]> {
    const records = await this.lookup<SrvRecord[]>('SRV', name, () => this.dns.resolveSrv(name));
    const destinations: Destination[] = [];
    for (const record of orderSrvRecords(records, this.random)) {
      try {
        destinations.push(...(await this.addressDestinations(record.name, protocol, record.port, domain)));
      } catch (error) {
        if (!(error instanceof DnsResolutionError) || (error.code !== 'NXDOMAIN' && error.code !== 'NODATA')) throw error;
        this.logger.warn('SRV target does not resolve', { srv: name, target: record.name, code: error.code });
      }
    }
    return destinations;
  }

  private async addressDestinations(
    host: string,
    protocol: TransportProtocol,
    port: number,
    domain: string,
  ): Promise<Destination[]> {
    const addresses = await this.addressesOf(host);
    return addresses.map((address) => ({ protocol, address, port, serverName: domain }));
  }

  /** A and AAAA records in the configured family order. */
  private async addressesOf(host: string): Promise<string[]> {
    const answers = await Promise.all(
      this.families.map((family) =>
        this.lookupWithCode<string[]>(family === 4 ? 'A' : 'AAAA', host, async () => {
          const records: AddressAnswer[] =
            family === 4 ? await this.dns.resolve4(host, { ttl: true }) : await this.dns.resolve6(host, { ttl: true });
          const ttlSeconds = records.length > 0 ? Math.min(...records.map((r) => r.ttl)) : 0;
          return { value: records.map((r) => r.address), ttlMs: ttlSeconds * 1_000 };
        }),
      ),
    );
    const addresses = answers.flatMap((answer) => (answer.ok ? answer.value : []));
    if (addresses.length > 0) return addresses;
    const codes = answers.map((answer) => (answer.ok ? 'NODATA' : answer.code));
    const code: DnsFailureCode = codes.every((c) => c === 'NXDOMAIN') ? 'NXDOMAIN' : 'NODATA';
    throw new DnsResolutionError(`RFC 3263: ${describeDnsFailure(host, code)}`, host, code);
  }

  /** NAPTR/SRV look-up: "no such record" gives []; other failures throw. */
  private async lookup<T extends unknown[]>(type: string, name: string, query: () => Promise<T>): Promise<T> {
    const result = await this.lookupWithCode<T>(type, name, async () => ({ value: await query(), ttlMs: this.srvNaptrTtlMs }));
    if (result.ok) return result.value;
    return [] as unknown[] as T;
  }

  /** Runs a query through the cache. NXDOMAIN/NODATA come back as a negative result; other failures throw. */
  private async lookupWithCode<T>(
    type: string,
    name: string,
    query: () => Promise<{ value: T; ttlMs: number }>,
  ): Promise<CachedLookup<T>> {
    const key = `${type}:${name.toLowerCase()}`;
    const cached = this.cache.get<T>(key);
    if (cached) return cached;
    try {
      const { value, ttlMs } = await query();
      const result: CachedLookup<T> = { ok: true, value };
      this.cache.set(key, result, Math.min(ttlMs, this.maxTtlMs));
      this.logger.debug('DNS answer', { type, name, ttlMs });
      return result;
    } catch (error) {
      const code = dnsFailureCodeOf(error);
      if (code === 'NXDOMAIN' || code === 'NODATA') {
        const result: CachedLookup<T> = { ok: false, code };
        this.cache.set(key, result, Math.min(this.negativeTtlMs, this.maxTtlMs));
        this.logger.debug('DNS: no records', { type, name, code });
        return result;
      }
      this.logger.warn('DNS query failed', { type, name, code });
      throw new DnsResolutionError(`RFC 3263: ${describeDnsFailure(name, code)} (${type})`, name, code, error);
    }
  }
}

function paramValue(uri: ResolvableUri, name: string): string | undefined {
  const value = uri.params.get(name);
  return value === null || value === undefined || value === '' ? undefined : value;
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** RFC 3261 §19.1.2: 5060 for SIP over UDP/TCP, 5061 for TLS. */
function defaultPort(protocol: TransportProtocol): number {
  return protocol === 'tls' ? 5061 : 5060;
}

function dedupe(destinations: Destination[]): Destination[] {
  const seen = new Set<string>();
  return destinations.filter((d) => {
    const key = `${d.protocol}|${d.address}|${d.port}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
