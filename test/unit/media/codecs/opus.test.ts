import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadOpusCodec, OpusUnavailableError, type OpusCodecOptions } from '../../../../firmware/media/codecs/opus.ts';
import { createCodecRegistry, type FactoryMaker } from '../../../../firmware/media/codecs/codec-registry.ts';
import { codecDescriptors } from '../../../../firmware/media/codecs/codec-descriptors.ts';
import { frameTiming } from '../../../../firmware/media/codecs/frame-timing.ts';
import { tone } from '../../../support/audio/signal-generators.ts';
import { snrWithDelay } from '../../../support/audio/signal-measurements.ts';

/** The optional package, or another copy of it named by DESKPHONE_OPUSSCRIPT (a path to its index.js). */
const options: OpusCodecOptions = process.env.DESKPHONE_OPUSSCRIPT ? { specifier: process.env.DESKPHONE_OPUSSCRIPT } : {};
let opus: FactoryMaker | null = null;
let unavailable: string | false = false;
try {
  opus = await loadOpusCodec(options);
} catch (error: unknown) {
  if (!(error instanceof OpusUnavailableError)) throw error;
  unavailable = `optional package opusscript not installed: ${error.message}`;
}

function opusFactory() {
  assert.ok(opus);
  const found = createCodecRegistry({ opus }).find('opus', 48000, { channels: 2 });
  assert.ok(found?.factory);
  return found.factory;
}

test('RFC 7587: a missing Opus package is a clear OpusUnavailableError naming what to install', async () => {
  await assert.rejects(loadOpusCodec({ specifier: 'deskphone-no-such-opus-package' }), (error: unknown) => {
    assert.ok(error instanceof OpusUnavailableError);
    assert.match(error.message, /npm install opusscript/);
    return true;
  });
  await assert.rejects(loadOpusCodec({ specifier: 'node:path' }), OpusUnavailableError, 'a module without the opusscript API is refused');
});

test('RFC 7587 §4.1/§7: opus/48000/2 in the registry, 48 kHz clock, 20 ms = 960 samples = +960 on the timestamp', { skip: unavailable }, () => {
  const factory = opusFactory();
  assert.equal(factory.descriptor.rtpClockRateHz, 48000);
  assert.equal(factory.descriptor.channels, 2);
  assert.deepEqual(frameTiming(factory.descriptor, 20), { samplesPerFrame: 960, rtpTimestampIncrement: 960 });
  assert.equal(codecDescriptors.opus.sampleRateHz, 48000);
});

test('RFC 6716: 1 kHz tone round trip in 20 ms frames at 32 kbit/s keeps SNR ≥ 22 dB after the encoder settles (measured ≈ 26.6 dB past 0.5 s) near the target rate', { skip: unavailable }, (t) => {
  const factory = opusFactory();
  const encoder = factory.createEncoder();
  const decoder = factory.createDecoder();
  const input = tone({ frequencyHz: 1000, sampleRateHz: 48000, durationMs: 3000, amplitude: 16384 });
  const output = new Int16Array(input.length);
  let payloadBytes = 0;
  for (let offset = 0; offset < input.length; offset += 960) {
    const payload = encoder.encode(input.subarray(offset, offset + 960));
    payloadBytes += payload.length;
    const pcm = decoder.decode(payload);
    assert.equal(pcm.length, 960);
    output.set(pcm, offset);
  }
  const bitrateBps = (payloadBytes * 8) / 3;
  const result = snrWithDelay(input, output, { maxDelaySamples: 96, skipSamples: 48000 });
  t.diagnostic(`SNR ${result.snrDb.toFixed(1)} dB, ${(bitrateBps / 1000).toFixed(1)} kbit/s`);
  assert.ok(result.snrDb >= 22, `SNR ${result.snrDb} dB`);
  assert.ok(bitrateBps > 24000 && bitrateBps < 40000, `${bitrateBps} bit/s`);
  encoder.reset();
  decoder.reset();
  encoder.close?.();
  decoder.close?.();
});

test('RFC 6716 §2: frames other than 2.5–60 ms are refused; an empty payload is concealed, not an error', { skip: unavailable }, () => {
  const factory = opusFactory();
  const encoder = factory.createEncoder();
  const decoder = factory.createDecoder();
  assert.throws(() => encoder.encode(new Int16Array(1000)), RangeError);
  decoder.decode(encoder.encode(new Int16Array(960)));
  const concealed = decoder.decode(new Uint8Array(0));
  assert.ok(concealed.length > 0 && concealed.length % 120 === 0, `${concealed.length} samples concealed`);
  encoder.close?.();
  decoder.close?.();
});
