/**
 * `npm run bench:sip`: the parser bench (when present), the REGISTER round
 * trip bench and the start-up bench in sequence, then one summary table
 * with every figure, its target or peer, and the ratio. Figures only: no
 * absolute time is asserted. Exits 1 only when a bench could not run at all.
 */
import type { LatencyStats } from './latency-stats.ts';
import { runRegisterBench, type RegisterBenchResult } from './register-bench.ts';
import { runStartupBench, type StartupBenchResult } from './startup-bench.ts';
import { formatSummaryTable, type SummaryRow } from './summary-table.ts';

/** The parts of `runParserBench()`'s result used here (the module belongs to the parser work and may change). */
interface ParserFigures {
  readonly ours: { readonly messagesPerSecond: number };
  readonly sip: { readonly messagesPerSecond: number };
  readonly ratio: number;
}

function isParserFigures(value: unknown): value is ParserFigures {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { ours?: { messagesPerSecond?: unknown }; sip?: { messagesPerSecond?: unknown }; ratio?: unknown };
  return typeof candidate.ratio === 'number' && typeof candidate.ours?.messagesPerSecond === 'number' && typeof candidate.sip?.messagesPerSecond === 'number';
}

const write = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** Loaded by name at run time so this file neither breaks nor type-checks against a parser bench that is absent or changing. */
async function runParserBenchIfPresent(): Promise<ParserFigures | 'not available'> {
  const specifier = './sip-parser-bench.ts';
  let module: unknown;
  try {
    module = await import(specifier);
  } catch {
    return 'not available';
  }
  const run = (module as { runParserBench?: unknown }).runParserBench;
  if (typeof run !== 'function') return 'not available';
  const result: unknown = await (run as () => unknown)();
  return isParserFigures(result) ? result : 'not available';
}

const ms = (value: number, digits = 3): string => `${value.toFixed(digits)} ms`;
const ratio = (value: number | undefined): string => (value === undefined ? 'n/a' : `${value.toFixed(2)}x`);
const perSecond = (value: number): string => `${Math.round(value).toLocaleString('en-US')} msg/s`;
const short = (stats: LatencyStats): string => `p50 ${ms(stats.p50Ms)} / p99 ${ms(stats.p99Ms)} / mean ${ms(stats.meanMs)}`;

function parserRows(parser: ParserFigures | 'not available' | Error): SummaryRow[] {
  if (parser === 'not available') return [{ figure: 'parse+serialize', ours: 'parser bench not available', reference: '', ratio: '' }];
  if (parser instanceof Error) return [{ figure: 'parse+serialize', ours: `could not run: ${parser.message.split('\n')[0]}`, reference: '', ratio: '' }];
  return [
    {
      figure: 'parse+serialize throughput',
      ours: perSecond(parser.ours.messagesPerSecond),
      reference: `npm sip ${perSecond(parser.sip.messagesPerSecond)}`,
      ratio: `${ratio(parser.ratio)} ours/sip (higher = faster)`,
    },
  ];
}

function registerRows(register: RegisterBenchResult | Error): SummaryRow[] {
  if (register instanceof Error) return [{ figure: 'REGISTER round trips', ours: `could not run: ${register.message.split('\n')[0]}`, reference: '', ratio: '' }];
  return register.transports.flatMap((t) => {
    const label = t.transport.toUpperCase();
    const peer = (stats: LatencyStats | undefined): string => (stats ? `sipp ${short(stats)}` : `sipp not available`);
    return [
      { figure: `${label} REGISTER/401/REGISTER/200`, ours: short(t.ours.full), reference: peer(t.sipp?.full), ratio: `${ratio(t.fullRatioP50)} ours/sipp p50` },
      { figure: `${label} refresh REGISTER/200`, ours: short(t.ours.refresh), reference: peer(t.sipp?.refresh), ratio: `${ratio(t.refreshRatioP50)} ours/sipp p50` },
    ];
  });
}

function startupRows(startup: StartupBenchResult | Error): SummaryRow[] {
  if (startup instanceof Error) return [{ figure: 'start-up', ours: `could not run: ${startup.message.split('\n')[0]}`, reference: '', ratio: '' }];
  const minMedian = (f: { minMs: number; medianMs: number }): string => `min ${ms(f.minMs, 0)} / median ${ms(f.medianMs, 0)}`;
  return [
    {
      figure: 'start->registered, node dist/deskphone.mjs',
      ours: minMedian(startup.bundle),
      reference: `target <= ${startup.targetMs} ms`,
      ratio: `${(startup.bundle.medianMs / startup.targetMs).toFixed(2)}x of target`,
    },
    {
      figure: 'start->registered, tsx firmware/main.ts',
      ours: minMedian(startup.tsx),
      reference: '(development path)',
      ratio: `${(startup.tsx.medianMs / startup.bundle.medianMs).toFixed(2)}x the bundle`,
    },
    {
      figure: 'bundle overhead over bare Node',
      ours: ms(startup.bundleOverheadMs, 0),
      reference: `node -e '' ${minMedian(startup.bareNode)}`,
      ratio: `${(startup.bundle.medianMs / startup.bareNode.medianMs).toFixed(2)}x bare node`,
    },
    {
      figure: 'bundle size dist/deskphone.mjs',
      ours: `${(startup.bundleSizeBytes / 1024).toFixed(1)} KB (${startup.bundleSizeBytes} B)`,
      reference: `target <= ${startup.bundleTargetBytes / 1024} KB`,
      ratio: `${(startup.bundleSizeBytes / startup.bundleTargetBytes).toFixed(2)}x of target`,
    },
  ];
}

async function attempt<T>(name: string, run: () => Promise<T>): Promise<T | Error> {
  try {
    return await run();
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    write(`${name} could not run: ${failure.message}`);
    return failure;
  }
}

async function main(): Promise<number> {
  const startedMs = performance.now();
  write('== parser ==');
  const parser = await attempt('parser bench', runParserBenchIfPresent);
  if (parser === 'not available') write('parser bench not available');
  write('\n== REGISTER round trips ==');
  const register = await attempt('register bench', () => runRegisterBench({ write }));
  write('\n== start-up ==');
  const startup = await attempt('startup bench', () => runStartupBench({ write }));

  write(`\n== summary (${process.platform}/${process.arch}, Node ${process.versions.node}, total ${((performance.now() - startedMs) / 1000).toFixed(1)} s) ==`);
  write(formatSummaryTable([...parserRows(parser), ...registerRows(register), ...startupRows(startup)]));
  write('Ratios ours/peer below 1 mean ours is faster for latencies; for throughput, above 1 means faster. Not asserted: noisy machines.');

  const failed = [parser, register, startup].filter((result) => result instanceof Error).length;
  if (failed > 0) write(`\n${failed} bench(es) could not run; see the messages above.`);
  return failed > 0 ? 1 : 0;
}

// Ctrl-C: exit through process.exit so the harness' exit hooks end Kamailio, sipp and phones.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));
process.exitCode = await main();
