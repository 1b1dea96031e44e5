/**
 * Codec speed: G.722 encode/decode against ffmpeg's G.722 on the same 60 s
 * file in the same run, G.711 against alawmulaw, Opus per frame when the
 * optional package loads. Figures are printed, not asserted.
 *
 * ffmpeg's time is the wall time of its process; its start-up (process,
 * libraries, probing) is estimated by running the same command on a 20 ms
 * file and subtracted for the corrected ratio. Each figure is the best of
 * several runs. Run: `npx tsx test/bench/codec-bench.ts`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import alawmulaw from 'alawmulaw';
import { G722Decoder } from '../../firmware/media/codecs/g722/g722-decoder.ts';
import { G722Encoder } from '../../firmware/media/codecs/g722/g722-encoder.ts';
import { g711 } from '../../firmware/media/codecs/g711.ts';
import { codecDescriptors } from '../../firmware/media/codecs/codec-descriptors.ts';
import { loadOpusCodec, OpusUnavailableError } from '../../firmware/media/codecs/opus.ts';
import { sweepWithNoise, tone } from '../support/audio/signal-generators.ts';
import { ffmpegHasG722 } from '../support/ffmpeg-has-g722.ts';
import { formatSummaryTable, type SummaryRow } from './summary-table.ts';

const DURATION_MS = 60_000;
const RUNS = 9;

export interface PeerComparison {
  readonly oursMs: number;
  readonly peerMs: number;
  /** ours / peer; below 1 means ours is faster. */
  readonly ratio: number;
}

export interface FfmpegComparison extends PeerComparison {
  readonly ffmpegStartupMs: number;
  /** ours / (ffmpeg wall − start-up). */
  readonly correctedRatio: number;
}

export interface CodecBenchResult {
  readonly g722: { readonly encode: FfmpegComparison; readonly decode: FfmpegComparison } | 'ffmpeg not available';
  readonly g711: { readonly muLawEncode: PeerComparison; readonly muLawDecode: PeerComparison; readonly aLawEncode: PeerComparison; readonly aLawDecode: PeerComparison };
  readonly opus: { readonly encodeUsPerFrame: number; readonly decodeUsPerFrame: number } | string;
}

function bestOf(runs: number, body: () => void): number {
  let best = Infinity;
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    body();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

function runFfmpeg(args: readonly string[]): void {
  const result = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed: ${result.stderr}`);
}

const pcmBytes = (pcm: Int16Array): Uint8Array => new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);

/** Encodes/decodes in 20 ms frames, as the media path does. */
function encodeG722InFrames(pcm: Int16Array): Uint8Array {
  const encoder = new G722Encoder();
  const out = new Uint8Array(pcm.length / 2);
  for (let offset = 0; offset < pcm.length; offset += 320) encoder.encode(pcm.subarray(offset, offset + 320), out.subarray(offset / 2));
  return out;
}

function decodeG722InFrames(codes: Uint8Array): Int16Array {
  const decoder = new G722Decoder();
  const out = new Int16Array(codes.length * 2);
  for (let offset = 0; offset < codes.length; offset += 160) decoder.decode(codes.subarray(offset, offset + 160), out.subarray(offset * 2));
  return out;
}

function compareWithFfmpeg(oursMs: number, ffmpegWallMs: number, ffmpegStartupMs: number): FfmpegComparison {
  return { oursMs, peerMs: ffmpegWallMs, ratio: oursMs / ffmpegWallMs, ffmpegStartupMs, correctedRatio: oursMs / Math.max(ffmpegWallMs - ffmpegStartupMs, 1e-3) };
}

function benchG722(dir: string): CodecBenchResult['g722'] {
  if (!ffmpegHasG722()) return 'ffmpeg not available';
  const pcm = sweepWithNoise({ sampleRateHz: 16000, durationMs: DURATION_MS, startHz: 50, endHz: 7500, amplitude: 12000, noiseAmplitude: 2000, seed: 60 });
  const tiny = pcm.subarray(0, 320);
  const files = { pcm: join(dir, 'in.raw'), tinyPcm: join(dir, 'tiny.raw'), g722: join(dir, 'in.g722'), tinyG722: join(dir, 'tiny.g722'), out: join(dir, 'out') };
  writeFileSync(files.pcm, pcmBytes(pcm));
  writeFileSync(files.tinyPcm, pcmBytes(tiny));
  const codes = encodeG722InFrames(pcm);
  writeFileSync(files.g722, codes);
  writeFileSync(files.tinyG722, codes.subarray(0, 160));

  const encodeArgs = (input: string): string[] => ['-f', 's16le', '-ar', '16000', '-ac', '1', '-i', input, '-acodec', 'g722', '-f', 'g722', `${files.out}.g722`];
  const decodeArgs = (input: string): string[] => ['-f', 'g722', '-i', input, '-f', 's16le', '-ar', '16000', `${files.out}.raw`];

  for (let i = 0; i < 3; i++) decodeG722InFrames(encodeG722InFrames(pcm.subarray(0, 16000 * 5))); // warm up the JIT
  const oursEncodeMs = bestOf(RUNS, () => encodeG722InFrames(pcm));
  const oursDecodeMs = bestOf(RUNS, () => decodeG722InFrames(codes));
  const ffmpegEncodeMs = bestOf(RUNS, () => runFfmpeg(encodeArgs(files.pcm)));
  const ffmpegEncodeStartupMs = bestOf(RUNS, () => runFfmpeg(encodeArgs(files.tinyPcm)));
  const ffmpegDecodeMs = bestOf(RUNS, () => runFfmpeg(decodeArgs(files.g722)));
  const ffmpegDecodeStartupMs = bestOf(RUNS, () => runFfmpeg(decodeArgs(files.tinyG722)));
  return {
    encode: compareWithFfmpeg(oursEncodeMs, ffmpegEncodeMs, ffmpegEncodeStartupMs),
    decode: compareWithFfmpeg(oursDecodeMs, ffmpegDecodeMs, ffmpegDecodeStartupMs),
  };
}

function benchG711(): CodecBenchResult['g711'] {
  const pcm = sweepWithNoise({ sampleRateHz: 8000, durationMs: DURATION_MS, startHz: 50, endHz: 3900, amplitude: 12000, noiseAmplitude: 2000, seed: 711 });
  const mu = g711.encodeMuLaw(pcm);
  const a = g711.encodeALaw(pcm);
  const { alaw, mulaw } = alawmulaw;
  const compare = (ours: () => unknown, theirs: () => unknown): PeerComparison => {
    for (let i = 0; i < 3; i++) {
      ours();
      theirs();
    }
    const oursMs = bestOf(RUNS, ours);
    const peerMs = bestOf(RUNS, theirs);
    return { oursMs, peerMs, ratio: oursMs / peerMs };
  };
  return {
    muLawEncode: compare(() => g711.encodeMuLaw(pcm), () => mulaw.encode(pcm)),
    muLawDecode: compare(() => g711.decodeMuLaw(mu), () => mulaw.decode(mu)),
    aLawEncode: compare(() => g711.encodeALaw(pcm), () => alaw.encode(pcm)),
    aLawDecode: compare(() => g711.decodeALaw(a), () => alaw.decode(a)),
  };
}

async function benchOpus(): Promise<CodecBenchResult['opus']> {
  const specifier = process.env.DESKPHONE_OPUSSCRIPT;
  let maker;
  try {
    maker = await loadOpusCodec(specifier ? { specifier: specifier.startsWith('/') ? pathToFileURL(specifier).href : specifier } : {});
  } catch (error: unknown) {
    if (error instanceof OpusUnavailableError) return 'opusscript not installed';
    throw error;
  }
  const factory = maker(codecDescriptors.opus);
  const encoder = factory.createEncoder();
  const decoder = factory.createDecoder();
  const pcm = tone({ frequencyHz: 1000, sampleRateHz: 48000, durationMs: 10_000, amplitude: 16384 });
  const frames = pcm.length / 960;
  const packets: Uint8Array[] = [];
  const encodeMs = bestOf(1, () => {
    for (let frame = 0; frame < frames; frame++) packets.push(encoder.encode(pcm.subarray(frame * 960, (frame + 1) * 960)));
  });
  const decodeMs = bestOf(1, () => {
    for (const packet of packets) decoder.decode(packet);
  });
  encoder.close?.();
  decoder.close?.();
  return { encodeUsPerFrame: (1000 * encodeMs) / frames, decodeUsPerFrame: (1000 * decodeMs) / frames };
}

const ms = (value: number): string => `${value.toFixed(1)} ms`;
const times = (ratio: number): string => `${ratio.toFixed(2)}x`;

function rows(result: CodecBenchResult): SummaryRow[] {
  const out: SummaryRow[] = [];
  if (typeof result.g722 === 'string') out.push({ figure: 'G.722 vs ffmpeg', ours: result.g722, reference: '', ratio: '' });
  else {
    for (const [name, comparison] of [['encode', result.g722.encode], ['decode', result.g722.decode]] as const) {
      out.push({ figure: `G.722 ${name} 60 s (raw)`, ours: ms(comparison.oursMs), reference: `ffmpeg wall ${ms(comparison.peerMs)}`, ratio: times(comparison.ratio) });
      out.push({
        figure: `G.722 ${name} 60 s (corrected)`,
        ours: ms(comparison.oursMs),
        reference: `ffmpeg ${ms(comparison.peerMs - comparison.ffmpegStartupMs)} (start-up ${ms(comparison.ffmpegStartupMs)}); target ≤ 3x`,
        ratio: times(comparison.correctedRatio),
      });
    }
  }
  for (const [name, comparison] of Object.entries(result.g711)) {
    out.push({ figure: `G.711 ${name} 60 s`, ours: ms(comparison.oursMs), reference: `alawmulaw ${ms(comparison.peerMs)}; target < 1x`, ratio: `${times(comparison.ratio)} (${(1 / comparison.ratio).toFixed(1)}x faster)` });
  }
  if (typeof result.opus === 'string') out.push({ figure: 'Opus 20 ms frame', ours: result.opus, reference: '', ratio: '' });
  else out.push({ figure: 'Opus 20 ms frame, 32 kbit/s', ours: `enc ${result.opus.encodeUsPerFrame.toFixed(0)} µs / dec ${result.opus.decodeUsPerFrame.toFixed(0)} µs`, reference: 'budget 20 000 µs', ratio: '' });
  return out;
}

export async function runCodecBench(): Promise<CodecBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'deskphone-codec-bench-'));
  try {
    const result: CodecBenchResult = { g722: benchG722(dir), g711: benchG711(), opus: await benchOpus() };
    process.stdout.write(`${formatSummaryTable(rows(result))}\n`);
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runCodecBench();
