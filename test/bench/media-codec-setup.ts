/**
 * The codecs the media bench measures: PCMU, PCMA, G722 from the registry,
 * opus when the optional package loads (`DESKPHONE_OPUSSCRIPT` may point at
 * another copy, as for codec-bench), each with the ffmpeg codec that does the
 * same work for the reference run.
 */
import { pathToFileURL } from 'node:url';
import { createCodecRegistry, type FactoryMaker } from '../../firmware/media/codecs/codec-registry.ts';
import { loadOpusCodec, OpusUnavailableError } from '../../firmware/media/codecs/opus.ts';
import type { CodecFactory } from '../../firmware/media/types.ts';

export interface FfmpegCodec {
  /** ffmpeg encoder name (`-acodec`). */
  readonly encoder: string;
  /** Container/raw format between the two ffmpeg processes. */
  readonly format: string;
  /** Extra encoder options. */
  readonly encoderArgs: readonly string[];
}

export interface BenchCodec {
  readonly label: string;
  readonly factory: CodecFactory;
  readonly ffmpeg: FfmpegCodec;
}

export interface BenchCodecs {
  readonly codecs: readonly BenchCodec[];
  /** Why opus is missing, when it is. */
  readonly opusUnavailable: string | undefined;
}

async function loadOpus(): Promise<FactoryMaker | string> {
  const specifier = process.env.DESKPHONE_OPUSSCRIPT;
  try {
    return await loadOpusCodec(specifier ? { specifier: specifier.startsWith('/') ? pathToFileURL(specifier).href : specifier } : {});
  } catch (error: unknown) {
    if (error instanceof OpusUnavailableError) return `opus skipped: ${error.message}`;
    throw error;
  }
}

export async function loadBenchCodecs(): Promise<BenchCodecs> {
  const opus = await loadOpus();
  const registry = createCodecRegistry(typeof opus === 'string' ? {} : { opus });
  const factoryOf = (name: string, clockRateHz: number, channels?: number): CodecFactory => {
    const found = registry.find(name, clockRateHz, channels === undefined ? {} : { channels });
    if (!found?.factory) throw new Error(`codec ${name}/${clockRateHz} is not registered`);
    return found.factory;
  };
  const codecs: BenchCodec[] = [
    { label: 'PCMU', factory: factoryOf('PCMU', 8000), ffmpeg: { encoder: 'pcm_mulaw', format: 'mulaw', encoderArgs: [] } },
    { label: 'PCMA', factory: factoryOf('PCMA', 8000), ffmpeg: { encoder: 'pcm_alaw', format: 'alaw', encoderArgs: [] } },
    { label: 'G722', factory: factoryOf('G722', 8000), ffmpeg: { encoder: 'g722', format: 'g722', encoderArgs: [] } },
  ];
  if (typeof opus !== 'string') {
    codecs.push({
      label: 'opus',
      factory: factoryOf('opus', 48000, 2),
      ffmpeg: { encoder: 'libopus', format: 'ogg', encoderArgs: ['-b:a', '32k', '-application', 'voip', '-frame_duration', '20'] },
    });
  }
  return { codecs, opusUnavailable: typeof opus === 'string' ? opus : undefined };
}
