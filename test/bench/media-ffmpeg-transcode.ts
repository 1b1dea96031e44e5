/**
 * The reference peer for the per-call CPU figure: the same 60 s of audio
 * encoded by one ffmpeg and decoded by a second one through a pipe
 * (`ffmpeg -f s16le ... -acodec pcm_mulaw -f mulaw - | ffmpeg -f mulaw -i - -f s16le -`),
 * i.e. one encode and one decode, codec work only: no RTP, no jitter buffer.
 *
 * CPU is both processes' user + system time as bash's `time` reports it,
 * wall time likewise; the start-up (process, libraries, probing) is measured
 * with the same commands on a 20 ms file and subtracted for the corrected
 * figure. Best of `runs`.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FfmpegCodec } from './media-codec-setup.ts';

export interface FfmpegTranscodeResult {
  /** Both processes, 60 s file: user + system CPU and wall, ms. */
  readonly cpuMs: number;
  readonly wallMs: number;
  /** Same commands on a 20 ms file. */
  readonly startupCpuMs: number;
  readonly startupWallMs: number;
}

export function ffmpegAvailable(): boolean {
  return spawnSync('ffmpeg', ['-hide_banner', '-version'], { stdio: 'ignore' }).status === 0;
}

export function ffmpegHasEncoder(name: string): boolean {
  const result = spawnSync('ffmpeg', ['-hide_banner', '-encoders'], { encoding: 'utf8' });
  return result.status === 0 && new RegExp(`^\\s*A\\S*\\s+${name}\\s`, 'm').test(result.stdout);
}

const quote = (word: string): string => `'${word.replaceAll("'", `'\\''`)}'`;

function pipeline(inputPath: string, sampleRateHz: number, codec: FfmpegCodec): string {
  const common = ['ffmpeg', '-hide_banner', '-loglevel', 'error', '-nostdin'];
  const encode = [...common, '-f', 's16le', '-ar', String(sampleRateHz), '-ac', '1', '-i', inputPath, '-acodec', codec.encoder, ...codec.encoderArgs, '-f', codec.format, '-'];
  // Raw G.711 needs its rate; the g722 demuxer and ogg know theirs (and refuse -ar).
  const formatArgs = codec.format === 'mulaw' || codec.format === 'alaw' ? ['-f', codec.format, '-ar', String(sampleRateHz)] : ['-f', codec.format];
  const decode = [...common, ...formatArgs, '-i', '-', '-f', 's16le', '-ar', String(sampleRateHz), '-ac', '1', '-'];
  return `${encode.map(quote).join(' ')} | ${decode.map(quote).join(' ')} > /dev/null`;
}

/** Runs the pipeline once under bash's `time`: [wall, cpu] in ms. */
function timedRun(command: string): [number, number] {
  const script = `set -o pipefail; TIMEFORMAT='@time %3R %3U %3S'; time { ${command}; }`;
  const result = spawnSync('bash', ['-c', script], { encoding: 'utf8', timeout: 120_000, killSignal: 'SIGKILL' });
  const match = /@time ([\d.]+) ([\d.]+) ([\d.]+)\s*$/.exec(result.stderr);
  if (result.status !== 0 || !match) throw new Error(`ffmpeg pipeline failed (status ${result.status}): ${result.stderr.trim().slice(0, 400)}`);
  return [1000 * Number(match[1]), 1000 * (Number(match[2]) + Number(match[3]))];
}

function bestOf(runs: number, command: string): [number, number] {
  let wall = Infinity;
  let cpu = Infinity;
  for (let run = 0; run < runs; run++) {
    const [runWall, runCpu] = timedRun(command);
    wall = Math.min(wall, runWall);
    cpu = Math.min(cpu, runCpu);
  }
  return [wall, cpu];
}

export interface FfmpegTranscodeOptions {
  readonly dir: string;
  readonly pcm: Int16Array;
  readonly sampleRateHz: number;
  readonly codec: FfmpegCodec;
  readonly runs?: number;
}

export function measureFfmpegTranscode(options: FfmpegTranscodeOptions): FfmpegTranscodeResult {
  const { dir, pcm, sampleRateHz, codec } = options;
  const bytes = (samples: Int16Array): Uint8Array => new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
  const fullPath = join(dir, `in-${codec.encoder}.raw`);
  const tinyPath = join(dir, `tiny-${codec.encoder}.raw`);
  writeFileSync(fullPath, bytes(pcm));
  writeFileSync(tinyPath, bytes(pcm.subarray(0, (sampleRateHz * 20) / 1000)));
  const runs = options.runs ?? 5;
  const [wallMs, cpuMs] = bestOf(runs, pipeline(fullPath, sampleRateHz, codec));
  const [startupWallMs, startupCpuMs] = bestOf(runs, pipeline(tinyPath, sampleRateHz, codec));
  return { cpuMs, wallMs, startupCpuMs, startupWallMs };
}
