import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCodecRegistry } from '../../../../firmware/media/codecs/codec-registry.ts';
import { codecDescriptors } from '../../../../firmware/media/codecs/codec-descriptors.ts';
import { frameTiming } from '../../../../firmware/media/codecs/frame-timing.ts';
import { g711 } from '../../../../firmware/media/codecs/g711.ts';

test('RFC 3551 Table 4: static payload types and clock rates of PCMU, PCMA, G722, CN', () => {
  const registry = createCodecRegistry();
  assert.deepEqual(registry.find('PCMU', 8000)?.descriptor, { name: 'PCMU', payloadType: 0, sampleRateHz: 8000, rtpClockRateHz: 8000, channels: 1, frameDurationMs: 20 });
  assert.equal(registry.find('PCMA', 8000)?.descriptor.payloadType, 8);
  assert.equal(registry.find('CN', 8000)?.descriptor.payloadType, 13);
  assert.equal(codecDescriptors.g722.payloadType, 9);
});

test('RFC 3551 §4.5.2: G722 audio is 16 kHz but its RTP clock is 8 kHz; 20 ms = 320 samples, +160 on the timestamp', () => {
  const g722 = codecDescriptors.g722;
  assert.equal(g722.sampleRateHz, 16000);
  assert.equal(g722.rtpClockRateHz, 8000);
  assert.deepEqual(frameTiming(g722, 20), { samplesPerFrame: 320, rtpTimestampIncrement: 160 });
  assert.deepEqual(frameTiming(g722, 30), { samplesPerFrame: 480, rtpTimestampIncrement: 240 });
});

test('RFC 3551 §4.5.14 / RFC 7587 §4.1: frame timing of G.711 and Opus', () => {
  assert.deepEqual(frameTiming(codecDescriptors.pcmu), { samplesPerFrame: 160, rtpTimestampIncrement: 160 });
  assert.deepEqual(frameTiming(codecDescriptors.pcma, 10), { samplesPerFrame: 80, rtpTimestampIncrement: 80 });
  assert.deepEqual(frameTiming(codecDescriptors.opus, 20), { samplesPerFrame: 960, rtpTimestampIncrement: 960 });
  assert.throws(() => frameTiming(codecDescriptors.pcmu, 0.01), RangeError);
  assert.throws(() => frameTiming(codecDescriptors.pcmu, 0), RangeError);
});

test('RFC 4855 §3: encoding names match case-insensitively; the clock rate must match too', () => {
  const registry = createCodecRegistry();
  assert.equal(registry.find('pcmu', 8000)?.descriptor.name, 'PCMU');
  assert.equal(registry.find('Telephone-Event', 8000)?.descriptor.name, 'telephone-event');
  assert.equal(registry.find('PCMU', 16000), undefined);
  assert.equal(registry.find('PCMU', 8000, { channels: 2 }), undefined);
  assert.equal(registry.find('GSM', 8000), undefined);
});

test('RFC 4733 §7.1.1 / RFC 3264 §5.1: a negotiated dynamic payload type replaces the default; non-audio formats have no factory', () => {
  const registry = createCodecRegistry();
  const found = registry.find('telephone-event', 8000, { payloadType: 96 });
  assert.equal(found?.descriptor.payloadType, 96);
  assert.equal(found?.factory, null);
  assert.equal(codecDescriptors.telephoneEvent.payloadType, 101, 'the shared default is untouched');
  assert.throws(() => registry.find('telephone-event', 8000, { payloadType: 128 }), RangeError);
  const pcmu = registry.find('PCMU', 8000, { payloadType: 0 });
  assert.equal(pcmu?.descriptor, codecDescriptors.pcmu);
});

test('RFC 3551 §4.5.14: the registry builds G.711 encoders and decoders carrying the negotiated descriptor', () => {
  const registry = createCodecRegistry();
  const factory = registry.find('PCMA', 8000)?.factory;
  assert.ok(factory);
  const encoder = factory.createEncoder();
  const decoder = factory.createDecoder();
  assert.equal(encoder.codec.name, 'PCMA');
  const pcm = new Int16Array(160).map((_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 1000 * i) / 8000)));
  const payload = encoder.encode(pcm);
  assert.equal(payload.length, 160);
  assert.deepEqual(payload, g711.encodeALaw(pcm));
  assert.deepEqual(decoder.decode(payload), g711.decodeALaw(payload));
});

test('RFC 7587 §7: Opus is registered as opus/48000/2 only when a factory maker is given', () => {
  assert.equal(createCodecRegistry().find('opus', 48000, { channels: 2 }), undefined);
  const registry = createCodecRegistry({
    opus: (descriptor) => ({
      descriptor,
      createEncoder: () => ({ codec: descriptor, encode: () => new Uint8Array(0), reset: () => {} }),
      createDecoder: () => ({ codec: descriptor, decode: () => new Int16Array(0), reset: () => {} }),
    }),
  });
  const found = registry.find('OPUS', 48000, { channels: 2, payloadType: 109 });
  assert.equal(found?.descriptor.payloadType, 109);
  assert.equal(found?.factory?.descriptor.payloadType, 109);
  assert.equal(registry.find('opus', 48000), undefined, 'opus/48000 without /2 is not RFC 7587');
});
