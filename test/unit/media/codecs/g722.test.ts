import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { G722Encoder } from '../../../../firmware/media/codecs/g722/g722-encoder.ts';
import { G722Decoder } from '../../../../firmware/media/codecs/g722/g722-decoder.ts';
import { ILA } from '../../../../firmware/media/codecs/g722/g722-tables.ts';
import { quantizeLower } from '../../../../firmware/media/codecs/g722/lower-sub-band.ts';
import { createG722Factory } from '../../../../firmware/media/codecs/g722-codec.ts';
import { createCodecRegistry } from '../../../../firmware/media/codecs/codec-registry.ts';
import { frameTiming } from '../../../../firmware/media/codecs/frame-timing.ts';
import { makeNoise, sweepWithNoise, tone } from '../../../support/audio/signal-generators.ts';
import { ffmpegHasG722 } from '../../../support/ffmpeg-has-g722.ts';
import { snrWithDelay } from '../../../support/audio/signal-measurements.ts';

const ffmpegMissing = ffmpegHasG722() ? false : 'ffmpeg with the g722 codec is not installed (npm run test:setup)';

/** 4 s: a 50 Hz → 7.5 kHz sweep with noise, then 1 s of full-scale noise to reach the saturation and limit paths. */
const testInput = sweepWithNoise({ sampleRateHz: 16000, durationMs: 4000, startHz: 50, endHz: 7500, amplitude: 12000, noiseAmplitude: 2000, seed: 722, loudTailFraction: 0.25 });

function ffmpeg(args: readonly string[]): void {
  const result = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], { encoding: 'utf8' });
  assert.equal(result.status, 0, `ffmpeg ${args.join(' ')}: ${result.stderr}`);
}

function withTempDir<T>(body: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'deskphone-g722-'));
  try {
    return body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function ffmpegEncode(pcm: Int16Array): Uint8Array {
  return withTempDir((dir) => {
    writeFileSync(join(dir, 'in.raw'), new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength));
    ffmpeg(['-f', 's16le', '-ar', '16000', '-ac', '1', '-i', join(dir, 'in.raw'), '-acodec', 'g722', '-f', 'g722', join(dir, 'out.g722')]);
    return new Uint8Array(readFileSync(join(dir, 'out.g722')));
  });
}

function ffmpegDecode(bitstream: Uint8Array): Int16Array {
  return withTempDir((dir) => {
    writeFileSync(join(dir, 'in.g722'), bitstream);
    ffmpeg(['-f', 'g722', '-i', join(dir, 'in.g722'), '-f', 's16le', '-ar', '16000', join(dir, 'out.raw')]);
    const bytes = readFileSync(join(dir, 'out.raw'));
    return new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  });
}

function identicalPercent(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return (100 * same) / a.length;
}

test('ITU-T G.722 §3 vs ffmpeg: the encoder bitstream for a 4 s sweep + noise is identical to ffmpeg’s', { skip: ffmpegMissing }, (t) => {
  const ours = new G722Encoder().encode(testInput);
  const theirs = ffmpegEncode(testInput);
  assert.equal(ours.length, testInput.length / 2);
  assert.equal(theirs.length, ours.length);
  const percent = identicalPercent(ours, theirs);
  t.diagnostic(`identical octets: ${percent.toFixed(3)} % of ${ours.length}`);
  assert.equal(percent, 100);
});

test('ITU-T G.722 §4 vs ffmpeg: decoding ffmpeg’s bitstream gives bit-identical PCM', { skip: ffmpegMissing }, (t) => {
  const bitstream = ffmpegEncode(testInput);
  const ours = new G722Decoder().decode(bitstream);
  const theirs = ffmpegDecode(bitstream);
  assert.equal(theirs.length, ours.length);
  const percent = identicalPercent(ours, theirs);
  t.diagnostic(`identical samples: ${percent.toFixed(3)} % of ${ours.length}`);
  assert.equal(percent, 100);
});

test('ITU-T G.722 §4 vs ffmpeg: decoding 64 000 random octets gives bit-identical PCM (every code, saturated states)', { skip: ffmpegMissing }, () => {
  const noise = makeNoise(9);
  const bitstream = Uint8Array.from({ length: 64000 }, () => Math.floor((noise() + 1) * 128) & 0xff);
  assert.deepEqual(new G722Decoder().decode(bitstream), ffmpegDecode(bitstream));
});

test('ITU-T G.722 §3.3: from the reset state, silence encodes to 0xFA (IL 0x3A, IH 3), worked by hand', () => {
  // DETL = 32: decision levels Q6[m]·8·32 >> 15 = Q6[m] >> 7 are 0 up to m = 3 and 1 at m = 4 (150),
  // so EL = 0 lies in interval 4, positive: IL = 0x3A. DETH = 8: 564·8·8 >> 15 = 1 > 0, inner interval, positive: IH = 3.
  const codes = new G722Encoder().encode(new Int16Array(2));
  assert.equal(codes[0], 0xfa);
});

test('ITU-T G.722 §3.5: ILA is the inverse-log table, within 1 of ⌊2^(i/32 + 1)⌋ − 1; and DETL/DETH reset to 32/8', () => {
  assert.equal(ILA.length, 353);
  for (let i = 0; i < ILA.length; i++) assert.ok(Math.abs(ILA[i]! - (Math.floor(2 ** (i / 32 + 1)) - 1)) <= 1, `ILA[${i}]`);
  assert.equal((ILA[64]! + 1) << 2, 32);
  assert.equal((ILA[0]! + 1) << 2, 8);
});

test('ITU-T G.722: round trip of a 1 kHz tone at −6 dBFS through our encoder and decoder keeps SNR ≥ 44 dB (measured ≈ 47 dB)', (t) => {
  const input = tone({ frequencyHz: 1000, sampleRateHz: 16000, durationMs: 1000, amplitude: 16384 });
  const output = new G722Decoder().decode(new G722Encoder().encode(input));
  const result = snrWithDelay(input, output, { maxDelaySamples: 48, skipSamples: 1600 });
  t.diagnostic(`SNR ${result.snrDb.toFixed(2)} dB at delay ${result.delaySamples} samples (mod the 16-sample period)`);
  assert.ok(result.snrDb >= 44, `SNR ${result.snrDb} dB`);
});

test('ITU-T G.722 §3.1/§4.4: the QMF pair delays the signal by 22 samples (measured on a non-periodic sweep)', () => {
  const input = sweepWithNoise({ sampleRateHz: 16000, durationMs: 500, startHz: 300, endHz: 3400, amplitude: 10000, noiseAmplitude: 0, seed: 1 });
  const output = new G722Decoder().decode(new G722Encoder().encode(input));
  const result = snrWithDelay(input, output, { maxDelaySamples: 48, skipSamples: 800 });
  assert.equal(result.delaySamples, 22);
  assert.ok(result.snrDb > 30, `SNR ${result.snrDb} dB`);
});

test('ITU-T G.722: state carries across calls; 20 ms frames give the same bitstream and PCM as one block; reset() restarts', () => {
  const whole = new G722Encoder().encode(testInput);
  const encoder = new G722Encoder();
  const decoder = new G722Decoder();
  const framed = new Uint8Array(whole.length);
  const decodedFramed = new Int16Array(testInput.length);
  for (let offset = 0; offset < testInput.length; offset += 320) {
    const codes = encoder.encode(testInput.subarray(offset, offset + 320));
    framed.set(codes, offset / 2);
    decodedFramed.set(decoder.decode(codes), offset);
  }
  assert.deepEqual(framed, whole);
  assert.deepEqual(decodedFramed, new G722Decoder().decode(whole));
  encoder.reset();
  assert.deepEqual(encoder.encode(testInput.subarray(0, 320)), whole.subarray(0, 160));
  decoder.reset();
  assert.deepEqual(decoder.decode(whole.subarray(0, 160)), new G722Decoder().decode(whole.subarray(0, 160)));
});

test('ITU-T G.722: the decoder takes random octets without throwing, bounded output, and resynchronises within 200 ms', () => {
  const decoder = new G722Decoder();
  const noise = makeNoise(5);
  for (let packet = 0; packet < 200; packet++) {
    const garbage = Uint8Array.from({ length: 160 }, () => Math.floor((noise() + 1) * 128) & 0xff);
    const pcm = decoder.decode(garbage);
    assert.equal(pcm.length, 320);
    for (const sample of pcm) assert.ok(Number.isInteger(sample) && sample >= -32768 && sample <= 32767);
  }
  assert.equal(decoder.decode(new Uint8Array(0)).length, 0);
  // The decoder's state is now unrelated to a fresh encoder's; leakage in the predictor and scale factor pulls it back.
  const input = tone({ frequencyHz: 1000, sampleRateHz: 16000, durationMs: 1000, amplitude: 8000 });
  const output = decoder.decode(new G722Encoder().encode(input));
  const late = snrWithDelay(input.subarray(3200), output.subarray(3200), { maxDelaySamples: 48, skipSamples: 0 });
  assert.ok(late.snrDb >= 40, `SNR after 200 ms: ${late.snrDb} dB`);
});

test('ITU-T G.722: odd sample counts and short output buffers are refused', () => {
  assert.throws(() => new G722Encoder().encode(new Int16Array(3)), RangeError);
  assert.throws(() => new G722Encoder().encode(new Int16Array(4), new Uint8Array(1)), RangeError);
  assert.throws(() => new G722Decoder().decode(new Uint8Array(4), new Int16Array(7)), RangeError);
});

test('RFC 3551 §4.5.2: a 20 ms G722 frame is 320 samples in, 160 octets out, +160 on the RTP timestamp', () => {
  const found = createCodecRegistry().find('g722', 8000);
  assert.ok(found?.factory);
  const timing = frameTiming(found.descriptor, 20);
  assert.deepEqual(timing, { samplesPerFrame: 320, rtpTimestampIncrement: 160 });
  const encoder = found.factory.createEncoder();
  const payload = encoder.encode(testInput.subarray(0, timing.samplesPerFrame));
  assert.equal(payload.length, 160);
  assert.equal(found.factory.createDecoder().decode(payload).length, 320);
  assert.equal(createCodecRegistry().find('G722', 16000), undefined, 'G722/16000 is not the registered name/clock pair');
  assert.equal(createG722Factory().descriptor.sampleRateHz, 16000);
});

test('ITU-T G.722 §3.3 QUANTL: the division-and-table quantizer equals the reference interval search for every EL and every reachable DETL', () => {
  const q6 = [0, 35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650, 714, 786, 858, 940, 1023, 1121, 1219, 1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919, 3200];
  // Reference search: mil from 0 while (Q6[mil]·8 · DETL) >> 15 ≤ WD, stopping at 30; codes by sign.
  const negativeCodes = [0, 0x3f, 0x3e, ...Array.from({ length: 28 }, (_, i) => 0x1f - i)];
  const positiveCodes = [0, ...Array.from({ length: 30 }, (_, i) => 0x3d - i)];
  const reference = (el: number, det: number): number => {
    const wd = el >= 0 ? el : 32767 - (el & 32767);
    let mil = 0;
    while (((q6[mil]! * 8 * det) >> 15) <= wd && mil < 30) mil++;
    return el >= 0 ? positiveCodes[mil]! : negativeCodes[mil]!;
  };
  for (let index = 64; index <= 352; index++) {
    const det = (ILA[index]! + 1) << 2; // SCALEL's range: NBL 0..18432
    for (let el = -32768; el <= 32767; el++) {
      if (quantizeLower(el, det) !== reference(el, det)) assert.fail(`EL ${el}, DETL ${det}: ${quantizeLower(el, det)} vs ${reference(el, det)}`);
    }
  }
});
