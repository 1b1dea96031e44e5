/**
 * Two `MediaStream`s on 127.0.0.1 for the pipeline tests: A hears what the
 * caller injects (a tone twin by default) and B records what it plays (a
 * null sink keeping its frames), each on simulated devices paced by the
 * system clock. Optionally a relay sits between them.
 */
import { systemClock } from '../../../firmware/core/clock.ts';
import { createCodecRegistry } from '../../../firmware/media/codecs/codec-registry.ts';
import { loadOpusCodec } from '../../../firmware/media/codecs/opus.ts';
import { MediaStream } from '../../../firmware/media/pipeline/media-stream.ts';
import type { MediaStreamOptions } from '../../../firmware/media/pipeline/media-stream-options.ts';
import type { CodecDescriptor, CodecFactory } from '../../../firmware/media/types.ts';
import { audioFormat } from '../../../hal/audio/audio-format.ts';
import type { AudioFormat } from '../../../hal/audio/audio-device.ts';
import { NullSink } from '../../../hal/audio/simulated/null-sink.ts';
import { NullSource } from '../../../hal/audio/simulated/null-source.ts';
import { ToneSource } from '../../../hal/audio/simulated/tone-source.ts';

export type CodecName = 'PCMU' | 'PCMA' | 'G722' | 'opus';

export interface NegotiatedCodec {
  readonly descriptor: CodecDescriptor;
  readonly factory: CodecFactory;
}

/** The codec as the call layer would get it from the registry; null when it is not available (opus without its package). */
export async function negotiatedCodec(name: CodecName): Promise<NegotiatedCodec | null> {
  let registry = createCodecRegistry();
  if (name === 'opus') {
    try {
      registry = createCodecRegistry({ opus: await loadOpusCodec() });
    } catch {
      return null;
    }
  }
  const clock = name === 'G722' ? 8000 : name === 'opus' ? 48000 : 8000;
  const found = registry.find(name, clock, name === 'opus' ? { channels: 2 } : {});
  if (!found?.factory) return null;
  return { descriptor: found.descriptor, factory: found.factory };
}

export interface StreamEnd {
  readonly stream: MediaStream;
  readonly source: ToneSource | NullSource;
  readonly sink: NullSink;
  readonly format: AudioFormat;
}

export interface PairOptions {
  readonly codec: NegotiatedCodec;
  readonly deviceRateHz: number;
  /** A's microphone: a tone (default 1000 Hz, -10 dBFS) or silence. */
  readonly toneHz?: number | null;
  readonly toneLevelDbfs?: number;
  /** Extra options for both streams (telephone-event PT, jitter buffer, ...). */
  readonly common?: Partial<MediaStreamOptions>;
  readonly a?: Partial<MediaStreamOptions>;
  readonly b?: Partial<MediaStreamOptions>;
  /** Seconds of device buffer frames kept by the sinks (default 30 s). */
  readonly keepSeconds?: number;
}

async function openEnd(name: string, codec: NegotiatedCodec, format: AudioFormat, tone: { hz: number; levelDbfs: number } | null, extra: Partial<MediaStreamOptions>, keepFrames: number): Promise<StreamEnd> {
  const clock = systemClock;
  const source = tone
    ? new ToneSource({ format, clock, frequencyHz: tone.hz, levelDbfs: tone.levelDbfs, maxRecordedFrames: keepFrames })
    : new NullSource({ format, clock, maxRecordedFrames: keepFrames });
  const sink = new NullSink({ format, clock, maxRecordedFrames: keepFrames });
  const stream = await MediaStream.open({
    codec,
    localAddress: '127.0.0.1',
    remote: null,
    cname: `${name}@127.0.0.1`,
    audio: { format, source, sink },
    clock,
    minimumRtcpIntervalMs: 500,
    ...extra,
  });
  return { stream, source, sink, format };
}

/** Opens A and B pointing at each other (or at the addresses `route` gives, e.g. a relay's). */
export async function openStreamPair(
  options: PairOptions,
  route: (a: MediaStream, b: MediaStream) => Promise<{ aRemotePort: number; bRemotePort: number }> = async (a, b) => ({ aRemotePort: b.localRtpPort, bRemotePort: a.localRtpPort }),
): Promise<{ a: StreamEnd; b: StreamEnd; close: () => Promise<void> }> {
  const format = audioFormat({ sampleRateHz: options.deviceRateHz, frameMs: 20 });
  const keepFrames = Math.round(((options.keepSeconds ?? 30) * 1000) / 20);
  const toneHz = options.toneHz === undefined ? 1000 : options.toneHz;
  const tone = toneHz === null ? null : { hz: toneHz, levelDbfs: options.toneLevelDbfs ?? -10 };
  const a = await openEnd('a', options.codec, format, tone, { ...options.common, ...options.a }, keepFrames);
  const b = await openEnd('b', options.codec, format, null, { ...options.common, ...options.b }, keepFrames);
  const ports = await route(a.stream, b.stream);
  const rtcpMux = options.common?.rtcpMux ?? false;
  a.stream.setRemote({ address: '127.0.0.1', rtpPort: ports.aRemotePort, ...(rtcpMux ? {} : { rtcpPort: ports.aRemotePort + 1 }) });
  b.stream.setRemote({ address: '127.0.0.1', rtpPort: ports.bRemotePort, ...(rtcpMux ? {} : { rtcpPort: ports.bRemotePort + 1 }) });
  for (const end of [a, b]) {
    await end.sink.start();
    await end.source.start();
  }
  a.stream.start();
  b.stream.start();
  return {
    a,
    b,
    close: async () => {
      await Promise.all([a.stream.close('test done'), b.stream.close('test done')]);
      for (const end of [a, b]) {
        await end.source.stop();
        await end.sink.stop();
      }
    },
  };
}

/** Resolves after `ms` of real time. */
export function runFor(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
