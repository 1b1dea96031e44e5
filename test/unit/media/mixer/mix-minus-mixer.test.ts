import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MixMinusMixer } from '../../../../firmware/media/mixer/mix-minus-mixer.ts';
import { limitSample, SOFT_KNEE } from '../../../../firmware/media/mixer/sample-limiter.ts';
import { ToneGenerator } from '../../../../firmware/media/tones/tone-generator.ts';
import { cadencedTone } from '../../../../firmware/media/tones/tone-pattern.ts';
import { componentLevelDbm0, maxStep } from '../../../support/audio/signal-measurements.ts';

const FRAME = 160;
const FRAMES = 50;
const TONES_HZ = { mic: 500, 'remote-a': 1100, 'remote-b': 1700 } as const;
type LegId = keyof typeof TONES_HZ;
const LEGS = Object.keys(TONES_HZ) as LegId[];

function sources(levelDbm0 = -10): Map<LegId, ToneGenerator> {
  return new Map(
    LEGS.map((id) => [id, new ToneGenerator({ sampleRateHz: 8000, pattern: cadencedTone({ name: id, frequenciesHz: [TONES_HZ[id]], levelDbm0, cadenceMs: [] }) })]),
  );
}

/** Runs the mixer over FRAMES frames; returns each leg's whole output. */
function run(mixer: MixMinusMixer, generators: Map<LegId, ToneGenerator>, skip: readonly LegId[] = []): Map<string, Int16Array> {
  const outputs = new Map<string, Int16Array>(mixer.legIds.map((id) => [id, new Int16Array(FRAME * FRAMES)]));
  for (let f = 0; f < FRAMES; f++) {
    const inputs = new Map<string, Int16Array>();
    for (const [id, generator] of generators) {
      const frame = generator.render(FRAME);
      if (!skip.includes(id)) inputs.set(id, frame);
    }
    for (const [id, frame] of mixer.mix(inputs)) outputs.get(id)?.set(frame, f * FRAME);
  }
  return outputs;
}

/** Level of each source tone in an output, measured past the fade-in. */
function heard(output: Int16Array): Record<LegId, number> {
  const level = (frequencyHz: number) => componentLevelDbm0(output, { frequencyHz, sampleRateHz: 8000, start: 800, length: 4000 });
  return { mic: level(500), 'remote-a': level(1100), 'remote-b': level(1700) };
}

test('mix-minus: each leg hears the other two at their level and not itself', () => {
  const outputs = run(new MixMinusMixer({ legs: LEGS, frameSamples: FRAME }), sources());
  for (const listener of LEGS) {
    const levels = heard(outputs.get(listener)!);
    for (const talker of LEGS) {
      if (talker === listener) assert.ok(levels[talker] < -90, `${listener} hears itself at ${levels[talker]} dBm0`);
      else assert.ok(Math.abs(levels[talker] + 10) < 0.1, `${listener} hears ${talker} at ${levels[talker]} dBm0`);
    }
  }
});

test('mix-minus: per-leg gain changes what the others hear of that leg, by the dB given', () => {
  const mixer = new MixMinusMixer({ legs: ['mic', { id: 'remote-a', gainDb: -6 }, 'remote-b'], frameSamples: FRAME });
  mixer.setGainDb('remote-b', 4.5);
  const outputs = run(mixer, sources(-12));
  const atMic = heard(outputs.get('mic')!);
  assert.ok(Math.abs(atMic['remote-a'] - -18) < 0.1, `remote-a at ${atMic['remote-a']}`);
  assert.ok(Math.abs(atMic['remote-b'] - -7.5) < 0.1, `remote-b at ${atMic['remote-b']}`);
  const atA = heard(outputs.get('remote-a')!);
  assert.ok(Math.abs(atA.mic - -12) < 0.1 && Math.abs(atA['remote-b'] - -7.5) < 0.1);
  assert.ok(atA['remote-a'] < -90);
});

test('mix-minus: a muted leg is heard by no one but still hears the others; a missing frame is silence', () => {
  const mixer = new MixMinusMixer({ legs: LEGS, frameSamples: FRAME });
  mixer.setMuted('mic', true);
  const outputs = run(mixer, sources());
  for (const listener of ['remote-a', 'remote-b'] as const) assert.ok(heard(outputs.get(listener)!).mic < -90, `${listener} hears the muted mic`);
  const atMic = heard(outputs.get('mic')!);
  assert.ok(Math.abs(atMic['remote-a'] + 10) < 0.1 && Math.abs(atMic['remote-b'] + 10) < 0.1);
  mixer.setMuted('mic', false);
  const withGap = run(mixer, sources(), ['remote-b']);
  assert.ok(heard(withGap.get('mic')!)['remote-b'] < -90);
  assert.ok(Math.abs(heard(withGap.get('remote-a')!).mic + 10) < 0.1);
});

test('mix-minus: below the knee the mix is bit-exact: output = sum of the others', () => {
  const mixer = new MixMinusMixer({ legs: ['a', 'b', 'c', 'd'], frameSamples: 4 });
  const inputs = new Map([
    ['a', Int16Array.from([1000, -2000, 3, 0])],
    ['b', Int16Array.from([-7, 5000, 11, -1])],
    ['c', Int16Array.from([123, 456, -789, 2])],
    ['d', Int16Array.from([0, 0, 0, 20000])],
  ]);
  const out = mixer.mix(inputs);
  assert.deepEqual([...out.get('a')!], [116, 5456, -778, 20001]);
  assert.deepEqual([...out.get('b')!], [1123, -1544, -786, 20002]);
  assert.deepEqual([...out.get('c')!], [993, 3000, 14, 19999]);
  assert.deepEqual([...out.get('d')!], [1116, 3456, -775, 1]);
});

test('saturation: two full-scale talkers clip without wrapping; overloads are counted exactly', () => {
  for (const saturation of ['clip', 'soft'] as const) {
    const mixer = new MixMinusMixer({ legs: LEGS, frameSamples: FRAME, saturation });
    const generators = sources(2);
    const exact = new Float64Array(FRAME * FRAMES);
    const output = new Int16Array(FRAME * FRAMES);
    let expectedOverloads = 0;
    for (let f = 0; f < FRAMES; f++) {
      const inputs = new Map<string, Int16Array>();
      for (const [id, generator] of generators) inputs.set(id, generator.render(FRAME));
      for (let i = 0; i < FRAME; i++) {
        const sum = inputs.get('remote-a')![i]! + inputs.get('remote-b')![i]!;
        exact[f * FRAME + i] = sum;
        if (sum > 32767 || sum < -32768) expectedOverloads++;
      }
      output.set(mixer.mix(inputs).get('mic')!, f * FRAME);
    }
    assert.ok(expectedOverloads > 100, 'the test does overload the mix');
    assert.equal(mixer.overloadedSamples('mic'), expectedOverloads, saturation);
    for (let i = 0; i < exact.length; i++) {
      const e = exact[i]!;
      const o = output[i]!;
      assert.ok(Math.sign(o) === Math.sign(e) || o === 0, `${saturation}: sample ${i} wrapped (${e} -> ${o})`);
      assert.ok(Math.abs(o) <= Math.abs(e) + 0.5, `${saturation}: sample ${i} grew`);
      if (saturation === 'clip') assert.equal(o, Math.max(-32768, Math.min(32767, e)));
    }
    // A limiter with slope ≤ 1 never makes a step steeper than the true sum: no added clicks.
    assert.ok(maxStep(output) <= maxStep(exact) + 1);
  }
});

test('saturation: the soft limiter is exact below -2.5 dBFS, continuous with slope 1 at the knee, and stays inside 16 bits', () => {
  for (let v = -SOFT_KNEE; v <= SOFT_KNEE; v += 97) assert.equal(limitSample(v, 'soft'), Math.round(v));
  assert.equal(limitSample(SOFT_KNEE + 10, 'soft'), SOFT_KNEE + 10);
  let previous = limitSample(SOFT_KNEE, 'soft');
  for (let v = SOFT_KNEE + 1; v <= 4 * 32768; v += 1) {
    const y = limitSample(v, 'soft');
    assert.ok(y >= previous && y - previous <= 1 && y <= 32767, `at ${v}`);
    assert.equal(limitSample(-v, 'soft'), -y);
    previous = y;
  }
  assert.ok(limitSample(40000, 'soft') < 32767 && limitSample(40000, 'soft') > 31000);
  assert.equal(limitSample(1e9, 'soft'), 32767);
  assert.equal(limitSample(40000, 'clip'), 32767);
  assert.equal(limitSample(-40000, 'clip'), -32768);
});

test('mixer: frames of another size and unknown legs are refused', () => {
  const mixer = new MixMinusMixer({ legs: ['mic', 'remote-a'], frameSamples: FRAME });
  assert.throws(() => mixer.mix(new Map([['mic', new Int16Array(80)]])), RangeError);
  assert.throws(() => mixer.mix(new Map([['remote-c', new Int16Array(FRAME)]])), /no mixer leg/);
  assert.throws(() => new MixMinusMixer({ legs: ['mic', 'mic'], frameSamples: FRAME }), /twice/);
  assert.throws(() => mixer.setGainDb('nobody', 0), /no mixer leg/);
});
