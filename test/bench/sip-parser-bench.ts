/**
 * SIP parser benchmark: parse + serialize throughput of our message layer
 * (fully validating, plus the accessors a stack reads on every message) vs the
 * npm `sip` package's parse/stringify, on the same realistic mix, same run.
 *
 *   npx tsx test/bench/sip-parser-bench.ts
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import sip from 'sip';
import { callId, cseq, fromTag, toTag, topVia } from '../../firmware/sip/message/header-values.ts';
import { parseMessage } from '../../firmware/sip/message/parser.ts';
import { serializeMessage } from '../../firmware/sip/message/serializer.ts';

/** The mix: INVITE with SDP, 200 OK (Record-Route, SDP), REGISTER, 401 with two challenges. */
const MIX_FILES = ['invite-sdp.sip', 'ok-200-record-route.sip', 'register.sip', 'unauthorized-401-two-challenges.sip'];

export interface ThroughputFigures {
  readonly messagesPerSecond: number;
  readonly megabytesPerSecond: number;
}

export interface ParserBenchResult {
  readonly ours: ThroughputFigures;
  readonly sip: ThroughputFigures;
  /** ours / sip, on messages per second (medians). */
  readonly ratio: number;
  readonly rounds: number;
  readonly messagesPerRound: number;
}

export interface ParserBenchOptions {
  /** Measured rounds per implementation (the median is reported). Default 9. */
  readonly rounds?: number;
  /** Passes over the mix per round. Default 5000 (20 000 messages). */
  readonly passesPerRound?: number;
  /** Where progress lines go; default stdout. */
  readonly write?: (line: string) => void;
}

function loadMix(): Buffer[] {
  const dir = new URL('../fixtures/sip/', import.meta.url);
  return MIX_FILES.map((name) => readFileSync(fileURLToPath(new URL(name, dir))));
}

/** Sink so the JIT cannot drop the work. */
let sink = 0;

function oursPass(mix: readonly Buffer[]): void {
  for (const bytes of mix) {
    const result = parseMessage(bytes);
    if (!result.ok) throw new Error(`benchmark message refused: ${result.error.reason}`);
    const message = result.message;
    const via = topVia(message);
    const sequence = cseq(message);
    sink += (via.params.get('branch') ?? '').length + sequence.seq + callId(message).length;
    sink += (fromTag(message) ?? '').length + (toTag(message) ?? '').length;
    sink += serializeMessage(message).length;
  }
}

interface SipJsAor {
  params?: Record<string, unknown>;
}

function tagOf(value: unknown): string {
  const params = (value as SipJsAor | undefined)?.params;
  const tag = params?.['tag'];
  return typeof tag === 'string' ? tag : '';
}

function sipPass(mix: readonly Buffer[]): void {
  for (const bytes of mix) {
    const message = sip.parse(bytes);
    if (message === undefined) throw new Error('sip.parse refused a benchmark message');
    const headers = message.headers;
    const via = (headers['via'] as Array<{ params: Record<string, unknown> }>)[0];
    const branch = via?.params['branch'];
    const sequence = headers['cseq'] as { seq: number };
    sink += (typeof branch === 'string' ? branch.length : 0) + sequence.seq + String(headers['call-id']).length;
    sink += tagOf(headers['from']).length + tagOf(headers['to']).length;
    // sip.js sends with Buffer.from(stringify(m), 'binary'): the same "to bytes" step as ours.
    sink += Buffer.from(sip.stringify(message), 'binary').length;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function timeRound(pass: (mix: readonly Buffer[]) => void, mix: readonly Buffer[], passes: number): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < passes; i++) pass(mix);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

export function runParserBench(options: ParserBenchOptions = {}): ParserBenchResult {
  const rounds = options.rounds ?? 9;
  const passes = options.passesPerRound ?? 5000;
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const mix = loadMix();
  const mixBytes = mix.reduce((total, bytes) => total + bytes.length, 0);
  const messagesPerRound = passes * mix.length;

  // Warm-up: let both reach optimised code.
  timeRound(oursPass, mix, Math.ceil(passes / 2));
  timeRound(sipPass, mix, Math.ceil(passes / 2));

  const oursSeconds: number[] = [];
  const sipSeconds: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // Interleaved so drift (thermal, GC, other load) hits both alike.
    oursSeconds.push(timeRound(oursPass, mix, passes));
    sipSeconds.push(timeRound(sipPass, mix, passes));
  }
  const figures = (seconds: number): ThroughputFigures => ({
    messagesPerSecond: messagesPerRound / seconds,
    megabytesPerSecond: (passes * mixBytes) / seconds / 1e6,
  });
  const ours = figures(median(oursSeconds));
  const baseline = figures(median(sipSeconds));
  const ratio = ours.messagesPerSecond / baseline.messagesPerSecond;

  write(`SIP parse+serialize, mix of ${mix.length} messages (${mixBytes} bytes), ${rounds} rounds x ${messagesPerRound} messages, median`);
  write(`  ours (validating + topVia/cseq/tags/callId): ${Math.round(ours.messagesPerSecond).toLocaleString('en-US')} msg/s, ${ours.megabytesPerSecond.toFixed(1)} MB/s`);
  write(`  npm sip 0.0.6 parse/stringify:              ${Math.round(baseline.messagesPerSecond).toLocaleString('en-US')} msg/s, ${baseline.megabytesPerSecond.toFixed(1)} MB/s`);
  write(`  ours/sip = ${ratio.toFixed(2)}x`);
  if (sink === 0) write('  (sink empty)');
  return { ours, sip: baseline, ratio, rounds, messagesPerRound };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runParserBench();
}
