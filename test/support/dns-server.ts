/**
 * A real DNS server on loopback for resolver tests: runs Debian's `dnsmasq`
 * (package `dnsmasq-base`) on 127.0.0.1 with an unprivileged port, serving
 * only the records given here.
 *
 * Nothing can leave the machine: `--no-resolv` and no `server=` lines mean no
 * upstream servers, `--no-hosts` ignores /etc/hosts, and every test domain is
 * declared `local=` so unknown names in it get NXDOMAIN (names outside the test
 * domains get REFUSED).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface NaptrRecordSpec {
  readonly name: string;
  readonly order: number;
  readonly preference: number;
  /** `s` for SRV replacement (the only kind SIP uses). */
  readonly flags: string;
  /** `SIP+D2U`, `SIP+D2T`, `SIPS+D2T`... */
  readonly service: string;
  readonly regexp?: string;
  readonly replacement: string;
}

export interface SrvRecordSpec {
  /** `_sip._udp.example.test` */
  readonly name: string;
  readonly target: string;
  readonly port: number;
  readonly priority: number;
  readonly weight: number;
}

export interface AddressRecordSpec {
  readonly name: string;
  /** IPv4 literal → A record, IPv6 literal → AAAA record. */
  readonly address: string;
  readonly ttlSeconds?: number;
}

export interface DnsRecords {
  readonly naptr?: readonly NaptrRecordSpec[];
  readonly srv?: readonly SrvRecordSpec[];
  readonly addresses?: readonly AddressRecordSpec[];
}

export interface StartDnsServerOptions {
  readonly records: DnsRecords;
  /** Domains answered authoritatively (NXDOMAIN for unknown names). Default: the last two labels of every record name. */
  readonly localDomains?: readonly string[];
  /** TTL of records without their own (dnsmasq `local-ttl`). Default 60 s. */
  readonly defaultTtlSeconds?: number;
}

export interface DnsServerHandle {
  readonly port: number;
  /** `127.0.0.1:<port>`, ready for `Resolver.setServers` / the resolver's `servers` option. */
  readonly server: string;
  /** Number of queries dnsmasq logged so far (for cache tests). */
  queryCount(): number;
  stop(): Promise<void>;
}

export async function startDnsServer(options: StartDnsServerOptions): Promise<DnsServerHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'deskphone-dns-'));
  // dnsmasq drops privileges to `nobody` when started as root: let it write its log.
  chmodSync(dir, 0o777);
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freeUdpPort();
    try {
      return await launch(dir, port, options);
    } catch (error) {
      lastError = error;
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`dnsmasq did not start: ${String(lastError)}`);
}

async function launch(dir: string, port: number, options: StartDnsServerOptions): Promise<DnsServerHandle> {
  const logFile = join(dir, 'dnsmasq.log');
  const confFile = join(dir, 'dnsmasq.conf');
  writeFileSync(logFile, '');
  chmodSync(logFile, 0o666);
  writeFileSync(confFile, buildConfig(port, logFile, options));
  const child = spawn('dnsmasq', ['--no-daemon', `--conf-file=${confFile}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (error) => {
      stderr += `spawn failed (is dnsmasq-base installed?): ${error.message}`;
      resolve();
    });
  });
  try {
    await waitUntilAnswering(child, port, () => stderr);
  } catch (error) {
    await stopChild(child, exited);
    throw error;
  }
  return {
    port,
    server: `127.0.0.1:${port}`,
    queryCount: () => readFileSync(logFile, 'utf8').split('\n').filter((line) => / query\[/.test(line)).length,
    stop: async () => {
      await stopChild(child, exited);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function buildConfig(port: number, logFile: string, options: StartDnsServerOptions): string {
  const { records } = options;
  const names = [
    ...(records.naptr ?? []).map((r) => r.name),
    ...(records.srv ?? []).map((r) => r.name),
    ...(records.addresses ?? []).map((r) => r.name),
  ];
  const domains = options.localDomains ?? [...new Set(names.map((name) => name.split('.').slice(-2).join('.')))];
  const lines = [
    `port=${port}`,
    'listen-address=127.0.0.1',
    'bind-interfaces',
    'no-resolv',
    'no-hosts',
    'no-poll',
    'cache-size=0',
    `local-ttl=${options.defaultTtlSeconds ?? 60}`,
    'log-queries',
    `log-facility=${logFile}`,
    ...domains.map((domain) => `local=/${domain}/`),
    ...(records.naptr ?? []).map(
      (r) => `naptr-record=${r.name},${r.order},${r.preference},${r.flags},${r.service},${r.regexp ?? ''},${r.replacement}`,
    ),
    ...(records.srv ?? []).map((r) => `srv-host=${r.name},${r.target},${r.port},${r.priority},${r.weight}`),
    ...(records.addresses ?? []).map((r) => {
      const ttl = r.ttlSeconds === undefined ? '' : `,${r.ttlSeconds}`;
      return `host-record=${r.name},${r.address}${ttl}`;
    }),
  ];
  return `${lines.join('\n')}\n`;
}

async function waitUntilAnswering(child: ChildProcess, port: number, stderr: () => string): Promise<void> {
  const resolver = new Resolver({ timeout: 200, tries: 1 });
  resolver.setServers([`127.0.0.1:${port}`]);
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.pid === undefined) throw new Error(`dnsmasq exited (${child.exitCode}): ${stderr()}`);
    try {
      await resolver.resolve4('readiness-probe.invalid');
      return;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      // Any DNS answer (REFUSED, NXDOMAIN) means the server is up.
      if (code !== 'ECONNREFUSED' && code !== 'ETIMEOUT') return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`dnsmasq did not answer on port ${port}: ${stderr()}`);
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  await exited;
}

function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}
