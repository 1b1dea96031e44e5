/**
 * REGISTER round trips against a loopback Kamailio (digest auth, started
 * here), over UDP and TCP: our stack (SipStack + OutOfDialogSender driven by
 * the `Registration` class) vs sipp as UAC, same Kamailio, same run.
 *
 *  - full exchange: REGISTER -> 401 -> REGISTER with credentials -> 200
 *    (a fresh Registration each time: new Call-ID, no cached nonce);
 *  - refresh: one pre-authorised REGISTER (cached nonce, next nc) -> 200.
 *
 * Registrations run one at a time. Ours are timed with performance.now()
 * from `start()` / `refreshNow()` to the `registered` state change; sipp's
 * from its -trace_msg timestamps (first send of the request to receipt of
 * the 200). Figures are printed, never asserted.
 *
 *   npx tsx test/bench/register-bench.ts
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { systemClock } from '../../firmware/core/clock.ts';
import { Registration } from '../../firmware/sip/register/registration.ts';
import type { RegistrationLine } from '../../firmware/sip/register/registration-line.ts';
import { SipStack } from '../../firmware/sip/ua/sip-stack.ts';
import { findFreePort } from '../support/free-port.ts';
import { startKamailio, type KamailioInstance } from '../support/kamailio.ts';
import { startSipp } from '../support/sipp.ts';
import { CountingSender } from './counting-sender.ts';
import { inertClock } from './inert-clock.ts';
import { formatLatency, latencyStats, type LatencyStats } from './latency-stats.ts';
import { RegistrationWaiter } from './registration-waiter.ts';
import { parseSippTrace, roundTripsMs } from './sipp-trace-timings.ts';

export type BenchTransport = 'udp' | 'tcp';

export interface RegisterBenchOptions {
  /** Measured registrations per transport and implementation (split over the rounds). Default 200. */
  readonly registrations?: number;
  /** Unmeasured registrations before measuring (each implementation, each transport). Default 30. */
  readonly warmup?: number;
  /** Ours and sipp take turns this many times per transport, so drift hits both alike. Default 2. */
  readonly rounds?: number;
  readonly transports?: readonly BenchTransport[];
  /** Where progress lines go; default stdout. */
  readonly write?: (line: string) => void;
}

export interface ExchangeFigures {
  /** REGISTER -> 401 -> REGISTER -> 200. */
  readonly full: LatencyStats;
  /** Pre-authorised REGISTER -> 200. */
  readonly refresh: LatencyStats;
}

export interface TransportResult {
  readonly transport: BenchTransport;
  readonly ours: ExchangeFigures;
  /** Undefined when sipp could not run (see `sippError`). */
  readonly sipp: ExchangeFigures | undefined;
  readonly sippError?: string;
  /** ours / sipp on the p50 (below 1: ours is faster). */
  readonly fullRatioP50: number | undefined;
  readonly refreshRatioP50: number | undefined;
}

export interface RegisterBenchResult {
  readonly registrations: number;
  readonly transports: readonly TransportResult[];
}

const DOMAIN = 'pbx.test';
const OUR_USER = { username: 'alice', password: 'alice-bench-secret' };
const SIPP_USER = { username: 'bob', password: 'bob-bench-secret' };
const EXPIRES_SEC = 3600;
const OUTCOME_TIMEOUT_MS = 5000;
const SIPP_SCENARIO = fileURLToPath(new URL('./sipp-scenarios/uac-register-auth-refresh.xml', import.meta.url));

interface Samples {
  full: number[];
  refresh: number[];
}

function lineFor(id: string, pbx: KamailioInstance, transport: BenchTransport): RegistrationLine {
  return {
    id,
    user: OUR_USER.username,
    domain: DOMAIN,
    registrar: `sip:127.0.0.1:${transport === 'udp' ? pbx.ports.udp : pbx.ports.tcp};transport=${transport}`,
    registerExpiresSec: EXPIRES_SEC,
    auth: OUR_USER,
  };
}

function expectStatuses(what: string, seen: readonly (number | string)[], expected: readonly number[]): void {
  if (seen.length !== expected.length || seen.some((status, i) => status !== expected[i])) {
    throw new Error(`${what}: expected REGISTER outcomes ${expected.join(', ')}, got ${seen.join(', ') || 'none'}`);
  }
}

let lineCounter = 0;

/** Runs `warmup + count` full exchanges and as many refreshes through our stack. */
async function measureOurs(
  stack: SipStack,
  pbx: KamailioInstance,
  transport: BenchTransport,
  count: number,
  warmup: number,
): Promise<Samples> {
  const sender = new CountingSender(stack.sender);
  const samples: Samples = { full: [], refresh: [] };

  for (let i = 0; i < warmup + count; i++) {
    const waiter = new RegistrationWaiter();
    const registration = new Registration({
      line: lineFor(`bench${lineCounter++}`, pbx, transport),
      sender,
      clock: inertClock,
      onChange: waiter.onChange,
    });
    const startedMs = performance.now();
    registration.start();
    const outcome = await waiter.next(OUTCOME_TIMEOUT_MS);
    const elapsedMs = performance.now() - startedMs;
    if (outcome.state !== 'registered') throw new Error(`our ${transport} registration failed: ${outcome.reason ?? 'no reason'}`);
    expectStatuses(`our ${transport} full exchange`, sender.take(), [401, 200]);
    if (i >= warmup) samples.full.push(elapsedMs);
  }

  const waiter = new RegistrationWaiter();
  const registration = new Registration({
    line: lineFor(`bench${lineCounter++}`, pbx, transport),
    sender,
    clock: inertClock,
    onChange: waiter.onChange,
  });
  registration.start();
  if ((await waiter.next(OUTCOME_TIMEOUT_MS)).state !== 'registered') throw new Error(`our ${transport} registration failed`);
  sender.take();
  for (let i = 0; i < warmup + count; i++) {
    const startedMs = performance.now();
    registration.refreshNow('benchmark');
    const outcome = await waiter.next(OUTCOME_TIMEOUT_MS);
    const elapsedMs = performance.now() - startedMs;
    if (outcome.state !== 'registered') throw new Error(`our ${transport} refresh failed: ${outcome.reason ?? 'no reason'}`);
    expectStatuses(`our ${transport} refresh`, sender.take(), [200]);
    if (i >= warmup) samples.refresh.push(elapsedMs);
  }
  return samples;
}

/** One sipp process running `warmup + count` calls one at a time; returns the measured calls' round trips. */
async function measureSipp(pbx: KamailioInstance, transport: BenchTransport, count: number, warmup: number): Promise<Samples> {
  const calls = warmup + count;
  const run = await startSipp({
    scenario: SIPP_SCENARIO,
    role: 'uac',
    remote: `127.0.0.1:${transport === 'udp' ? pbx.ports.udp : pbx.ports.tcp}`,
    transport,
    auth: SIPP_USER,
    vars: { user: SIPP_USER.username, domain: DOMAIN, expires: EXPIRES_SEC },
    calls,
    timeoutMs: 60_000,
    // One call at a time (-l 1), started as soon as the previous one ends.
    extraArgs: ['-l', '1', '-r', '1000'],
  });
  const result = await run.done;
  if (result.exitCode !== 0) {
    throw new Error(`sipp exited ${result.exitCode ?? result.signal}:\n${result.log.slice(0, 3000)}`);
  }
  const events = parseSippTrace(result.messages);
  const full = roundTripsMs(events, 1, 2);
  const refresh = roundTripsMs(events, 3, 3);
  if (full.length !== calls || refresh.length !== calls) {
    throw new Error(`sipp trace has ${full.length} full exchanges and ${refresh.length} refreshes, expected ${calls} of each`);
  }
  return { full: full.slice(warmup), refresh: refresh.slice(warmup) };
}

function figures(samples: Samples): ExchangeFigures {
  return { full: latencyStats(samples.full), refresh: latencyStats(samples.refresh) };
}

export async function runRegisterBench(options: RegisterBenchOptions = {}): Promise<RegisterBenchResult> {
  const registrations = options.registrations ?? 200;
  const warmup = options.warmup ?? 30;
  const rounds = Math.max(1, options.rounds ?? 2);
  const transports = options.transports ?? ['udp', 'tcp'];
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const perRound = Math.ceil(registrations / rounds);

  // logLevel 1: no per-request info lines from the registrar route.
  const pbx = await startKamailio({ users: [OUR_USER, SIPP_USER], domain: DOMAIN, ipv6: false, logLevel: 1 });
  let stack: SipStack | undefined;
  try {
    const port = await findFreePort();
    stack = await SipStack.start({
      listenAddress: '127.0.0.1',
      udpPort: port,
      tcpPort: port,
      tls: { verifyServer: true },
      timers: { t1Ms: 500, t2Ms: 4000, t4Ms: 5000 },
      dnsServers: [],
      userAgent: 'deskphone-bench',
      clock: systemClock,
    });
    write(`REGISTER round trips vs Kamailio on loopback (digest MD5, qop=auth), ${registrations} per case, one at a time, ${warmup} warm-up, ${rounds} alternating rounds`);
    const results: TransportResult[] = [];
    for (const transport of transports) {
      const ours: Samples = { full: [], refresh: [] };
      const sipp: Samples = { full: [], refresh: [] };
      let sippError: string | undefined;
      for (let round = 0; round < rounds; round++) {
        const count = Math.min(perRound, registrations - round * perRound);
        if (count <= 0) break;
        const mine = await measureOurs(stack, pbx, transport, count, round === 0 ? warmup : 0);
        ours.full.push(...mine.full);
        ours.refresh.push(...mine.refresh);
        if (sippError !== undefined) continue;
        try {
          const theirs = await measureSipp(pbx, transport, count, warmup);
          sipp.full.push(...theirs.full);
          sipp.refresh.push(...theirs.refresh);
        } catch (error) {
          sippError = error instanceof Error ? error.message : String(error);
        }
      }
      const oursFigures = figures(ours);
      const sippFigures = sippError === undefined ? figures(sipp) : undefined;
      const result: TransportResult = {
        transport,
        ours: oursFigures,
        sipp: sippFigures,
        ...(sippError !== undefined ? { sippError } : {}),
        fullRatioP50: sippFigures ? oursFigures.full.p50Ms / sippFigures.full.p50Ms : undefined,
        refreshRatioP50: sippFigures ? oursFigures.refresh.p50Ms / sippFigures.refresh.p50Ms : undefined,
      };
      results.push(result);
      const label = transport.toUpperCase();
      write(`  ${label} full (REGISTER/401/REGISTER/200)  ours: ${formatLatency(oursFigures.full)}`);
      write(`  ${label} full (REGISTER/401/REGISTER/200)  sipp: ${sippFigures ? formatLatency(sippFigures.full) : `not available (${sippError?.split('\n')[0]})`}`);
      if (result.fullRatioP50 !== undefined) write(`  ${label} full      ours/sipp (p50) = ${result.fullRatioP50.toFixed(2)}x`);
      write(`  ${label} refresh (REGISTER/200)            ours: ${formatLatency(oursFigures.refresh)}`);
      write(`  ${label} refresh (REGISTER/200)            sipp: ${sippFigures ? formatLatency(sippFigures.refresh) : 'not available'}`);
      if (result.refreshRatioP50 !== undefined) write(`  ${label} refresh   ours/sipp (p50) = ${result.refreshRatioP50.toFixed(2)}x`);
    }
    write('  (sipp times come from its -trace_msg timestamps, which it takes after each send returns: a slight underestimate of its round trip)');
    return { registrations, transports: results };
  } finally {
    await stack?.stop();
    await pbx.stop();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runRegisterBench();
}
