import { execFile } from 'node:child_process';
import { appendFile, readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findBinary } from './find-binary.ts';
import { findFreePort } from './free-port.ts';
import { isIpv6LoopbackUsable } from './ipv6-loopback.ts';
import { writeKamailioConfig, type KamailioPorts, type KamailioUserAccount } from './kamailio-config.ts';
import { spawnManaged, type ManagedProcess } from './managed-process.ts';
import { probeSipOptions } from './sip-options-probe.ts';
import { createTestCa, type TestCa } from './test-ca.ts';
import { makeTestTempDir } from './test-temp-dir.ts';

export type { KamailioPorts, KamailioUserAccount } from './kamailio-config.ts';

const execFileAsync = promisify(execFile);

export interface StartKamailioOptions {
  /** Subscribers (digest credentials). Default none. */
  readonly users?: readonly KamailioUserAccount[];
  /** SIP domain and digest realm; also a local alias. Default '127.0.0.1'. */
  readonly domain?: string;
  /** Listening ports. Default: free ports; UDP and TCP share one number. */
  readonly ports?: Partial<KamailioPorts>;
  /** Also listen on [::1] (same ports). Default: when ::1 is usable. */
  readonly ipv6?: boolean;
  /** registrar min_expires: a smaller Expires gets 423 + Min-Expires. Default 60. */
  readonly minExpiresSec?: number;
  /** registrar max_expires: larger requests are lowered to it (0 = no limit). Default 3600. */
  readonly maxExpiresSec?: number;
  /** registrar default_expires, for a REGISTER without any expiry. Default 3600. */
  readonly defaultExpiresSec?: number;
  /** auth nonce_expire: after this a nonce is stale (401 with stale=true). Default 300. */
  readonly nonceExpireSec?: number;
  /** qop offered in challenges. Default 'auth'. */
  readonly qop?: 'auth' | 'none';
  /** Digest algorithm of the challenges. Default 'MD5'. */
  readonly algorithm?: 'MD5' | 'SHA-256';
  /** Challenge (407) initial requests like INVITE from local users. Default true. */
  readonly authenticateCalls?: boolean;
  /** Kamailio debug level (2 = info, 3 = debug). Default 2. */
  readonly logLevel?: number;
  /** Use this CA/server certificate instead of making one (its serverNames must cover the domain). */
  readonly ca?: TestCa;
  /** Give up waiting for the instance to answer OPTIONS after this long. Default 5000. */
  readonly startTimeoutMs?: number;
  /** SIGKILL after this long if SIGTERM did not end it. Default 3000. */
  readonly stopTimeoutMs?: number;
}

export interface KamailioInstance {
  /** IPv4 address it listens on (always 127.0.0.1; also [::1] when ipv6). */
  readonly host: string;
  readonly ports: KamailioPorts;
  readonly ipv6: boolean;
  readonly domain: string;
  readonly users: readonly KamailioUserAccount[];
  /** CA certificate a TLS client must trust to talk to this instance. */
  readonly caCertPath: string;
  readonly ca: TestCa;
  /** Private temp directory: cfg, tls.cfg, db/, certs, log, ctl socket, pid file. */
  readonly dir: string;
  readonly cfgPath: string;
  /** Kamailio's stderr log (appended to across restarts). */
  readonly logPath: string;
  readonly ctlSocketPath: string;
  /** Pid of the main process while running. */
  pid(): number | undefined;
  isRunning(): boolean;
  /** SIGTERM, wait for the main process and its workers, SIGKILL after stopTimeoutMs. */
  stop(): Promise<void>;
  /** Stop and start again on the same ports (registrations and nonces are lost). */
  restart(): Promise<void>;
  /** Contact URIs currently bound to an AoR ('alice', 'alice@domain' or 'sip:alice@domain'). */
  registeredContacts(aor: string): Promise<string[]>;
  /** Raw kamcmd call on this instance's ctl socket, e.g. rpc('ul.dump'). */
  rpc(method: string, ...params: string[]): Promise<string>;
  readLog(): Promise<string>;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function logTail(logPath: string, lines = 40): Promise<string> {
  try {
    const text = await readFile(logPath, 'utf8');
    return text
      .split('\n')
      .filter((line) => !line.includes('probe_max_receive_buffer'))
      .slice(-lines)
      .join('\n');
  } catch {
    return '(no log)';
  }
}

function tcpAccepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** User part of an AoR: usrloc runs with use_domain=0. */
function aorUser(aor: string): string {
  return aor.replace(/^sips?:/i, '').split('@')[0] ?? aor;
}

/**
 * Starts a private Kamailio (Debian's kamailio 5.6) in the foreground as a
 * registrar + proxy for integration tests, and resolves once it answers
 * OPTIONS on UDP and accepts TCP and TLS connections. Each instance has its
 * own temp dir, ports, ctl socket and pid file, so several can run at once.
 */
export async function startKamailio(options: StartKamailioOptions = {}): Promise<KamailioInstance> {
  const kamailioPath = findBinary({ name: 'kamailio', debianPackage: 'kamailio' });
  const kamcmdPath = findBinary({ name: 'kamcmd', debianPackage: 'kamailio' });
  const domain = options.domain ?? '127.0.0.1';
  const users = options.users ?? [];
  const ipv6 = options.ipv6 ?? (await isIpv6LoopbackUsable());
  const hosts = ipv6 ? ['127.0.0.1', '::1'] : ['127.0.0.1'];
  const sipPort = options.ports?.udp ?? options.ports?.tcp ?? (await findFreePort({ hosts }));
  const ports: KamailioPorts = {
    udp: options.ports?.udp ?? sipPort,
    tcp: options.ports?.tcp ?? sipPort,
    tls: options.ports?.tls ?? (await findFreePort({ hosts, protocols: ['tcp'], exclude: [sipPort] })),
  };
  const startTimeoutMs = options.startTimeoutMs ?? 5000;
  const stopTimeoutMs = options.stopTimeoutMs ?? 3000;

  const dir = await makeTestTempDir('kamailio');
  const ca = options.ca ?? (await createTestCa({ dir: join(dir, 'tls'), serverNames: [domain] }));
  const ctlSocketPath = join(dir, 'kamailio_ctl');
  const pidPath = join(dir, 'kamailio.pid');
  const logPath = join(dir, 'kamailio.log');
  const { cfgPath } = await writeKamailioConfig({
    dir,
    domain,
    ports,
    ipv6,
    users,
    minExpiresSec: options.minExpiresSec ?? 60,
    maxExpiresSec: options.maxExpiresSec ?? 3600,
    defaultExpiresSec: options.defaultExpiresSec ?? 3600,
    nonceExpireSec: options.nonceExpireSec ?? 300,
    qop: options.qop ?? 'auth',
    algorithm: options.algorithm ?? 'MD5',
    authenticateCalls: options.authenticateCalls ?? true,
    logLevel: options.logLevel ?? 2,
    ctlSocketPath,
    tlsCertPath: ca.serverCertPath,
    tlsKeyPath: ca.serverKeyPath,
    tlsCaPath: ca.caCertPath,
  });

  // -DD: stay in the foreground (workers are still forked); -E: log to
  // stderr; -Y: runtime dir (instead of /var/run/kamailio); -P: pid file.
  const args = ['-f', cfgPath, '-DD', '-E', '-Y', dir, '-P', pidPath, '-m', '64', '-M', '8'];
  let current: ManagedProcess | undefined;

  async function waitUntilReady(proc: ManagedProcess): Promise<void> {
    const deadline = Date.now() + startTimeoutMs;
    let lastError = 'not started';
    while (Date.now() < deadline) {
      if (proc.hasExited()) {
        const exit = await proc.exited;
        throw new Error(
          `kamailio exited during start (code ${exit.code}, signal ${exit.signal}); log ${logPath}:\n${await logTail(logPath)}`,
        );
      }
      try {
        const response = await probeSipOptions({ port: ports.udp, timeoutMs: 150 });
        if (!response.startsWith('SIP/2.0 200')) throw new Error(`unexpected answer: ${response.split('\r\n')[0]}`);
        if (!(await tcpAccepts('127.0.0.1', ports.tcp))) throw new Error(`TCP port ${ports.tcp} not accepting`);
        if (!(await tcpAccepts('127.0.0.1', ports.tls))) throw new Error(`TLS port ${ports.tls} not accepting`);
        return;
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
        await sleep(30);
      }
    }
    await proc.stop({ killAfterMs: stopTimeoutMs });
    throw new Error(
      `kamailio did not become ready within ${startTimeoutMs} ms (${lastError}); log ${logPath}:\n${await logTail(logPath)}`,
    );
  }

  async function start(): Promise<void> {
    await appendFile(logPath, `==== deskphone test harness: ${kamailioPath} ${args.join(' ')}\n`);
    const proc = spawnManaged({ command: kamailioPath, args, cwd: dir, stdoutPath: logPath });
    current = proc;
    await waitUntilReady(proc);
  }

  async function stop(): Promise<void> {
    const proc = current;
    if (!proc) return;
    await proc.stop({ killAfterMs: stopTimeoutMs });
    await appendFile(logPath, '==== deskphone test harness: stopped\n');
  }

  async function rpc(method: string, ...params: string[]): Promise<string> {
    const { stdout, stderr } = await execFileAsync(kamcmdPath, ['-s', `unix:${ctlSocketPath}`, method, ...params], {
      timeout: 5000,
    });
    const output = `${stdout}${stderr}`;
    if (/^error:/m.test(output)) throw new Error(`kamcmd ${method} ${params.join(' ')}: ${output.trim()}`);
    return stdout;
  }

  await start();

  return {
    host: '127.0.0.1',
    ports,
    ipv6,
    domain,
    users,
    caCertPath: ca.caCertPath,
    ca,
    dir,
    cfgPath,
    logPath,
    ctlSocketPath,
    pid: () => (current && !current.hasExited() ? current.pid : undefined),
    isRunning: () => current !== undefined && !current.hasExited(),
    stop,
    async restart(): Promise<void> {
      await stop();
      await start();
    },
    async registeredContacts(aor: string): Promise<string[]> {
      let output: string;
      try {
        // "s:" keeps kamcmd from sending numeric user names as integers.
        output = await rpc('ul.lookup', 'location', `s:${aorUser(aor)}`);
      } catch (error) {
        if (error instanceof Error && /AOR not found/i.test(error.message)) return [];
        throw error;
      }
      return [...output.matchAll(/^\s*Address:\s*(\S+)\s*$/gm)].map((match) => match[1] ?? '');
    },
    rpc,
    readLog: () => readFile(logPath, 'utf8'),
  };
}
