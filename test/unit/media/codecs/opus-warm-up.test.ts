/**
 * `loadOpusCodec()` warms the WebAssembly libopus up once per process, so a
 * call's first frames cost what later ones do. Its own file: the codec must
 * be cold when this process loads it (node --test runs each file apart).
 *
 * Measured before the warm-up existed (x64, 2 loaded CPUs): a fresh
 * encoder's first frame 9–36 ms against ≈ 0.5 ms warm, spikes of 5–33 ms
 * for about a hundred frames; in a MediaStream that blocked the media loop
 * for over 100 ms (media-stream-opus.test.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadOpusCodec, OpusUnavailableError, type OpusCodecOptions } from '../../../../firmware/media/codecs/opus.ts';
import { createCodecRegistry, type FactoryMaker } from '../../../../firmware/media/codecs/codec-registry.ts';
import { tone } from '../../../support/audio/signal-generators.ts';

const options: OpusCodecOptions = process.env.DESKPHONE_OPUSSCRIPT ? { specifier: process.env.DESKPHONE_OPUSSCRIPT } : {};

// The first load of the process, with a 5 ms interval counting the event-loop turns it leaves free.
let turnsDuringLoad = 0;
const counter = setInterval(() => turnsDuringLoad++, 5);
let opus: FactoryMaker | null = null;
let unavailable: string | false = false;
const loadStartedMs = performance.now();
try {
  opus = await loadOpusCodec(options);
} catch (error: unknown) {
  if (!(error instanceof OpusUnavailableError)) throw error;
  unavailable = `optional package opusscript not installed: ${error.message}`;
} finally {
  clearInterval(counter);
}
const firstLoadMs = performance.now() - loadStartedMs;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

test('after loadOpusCodec, a fresh encoder and decoder code their first 20 ms frame about as fast as their fiftieth (no WebAssembly start-up in the call)', { skip: unavailable }, (t) => {
  assert.ok(opus);
  const factory = createCodecRegistry({ opus }).find('opus', 48000, { channels: 2 })?.factory;
  assert.ok(factory);
  const encoder = factory.createEncoder();
  const decoder = factory.createDecoder();
  const input = tone({ frequencyHz: 1000, sampleRateHz: 48000, durationMs: 1000, amplitude: 10000 });
  const frameMs: number[] = [];
  for (let offset = 0; offset < input.length; offset += 960) {
    const startedMs = performance.now();
    decoder.decode(encoder.encode(input.subarray(offset, offset + 960)));
    frameMs.push(performance.now() - startedMs);
  }
  encoder.close?.();
  decoder.close?.();
  const first = frameMs[0] as number;
  const warm = median(frameMs.slice(10));
  t.diagnostic(`first load ${firstLoadMs.toFixed(0)} ms; first frame ${first.toFixed(2)} ms, median of frames 10–49 ${warm.toFixed(2)} ms, max ${Math.max(...frameMs).toFixed(2)} ms`);
  // Relative, so a slow board passes too; 3 ms of slack for a descheduled frame on a busy machine.
  assert.ok(first <= Math.max(3, 4 * warm), `first frame ${first.toFixed(2)} ms vs ${warm.toFixed(2)} ms warm`);
});

test('the warm-up gives the event loop its turns while it runs, and runs once per process', { skip: unavailable }, async () => {
  // One frame per turn: the 5 ms interval kept firing during the first load (≈ 0.2 s here).
  assert.ok(turnsDuringLoad >= 10, `${turnsDuringLoad} interval turns during a ${firstLoadMs.toFixed(0)} ms load`);
  const againStartedMs = performance.now();
  await loadOpusCodec(options);
  const againMs = performance.now() - againStartedMs;
  assert.ok(againMs < firstLoadMs / 4, `second load ${againMs.toFixed(1)} ms vs first ${firstLoadMs.toFixed(1)} ms`);
});
