import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addSequence, isSequenceNewer, sequenceDelta } from '../../../../firmware/media/rtp/sequence.ts';
import { addTimestamp, isTimestampNewer, timestampDelta, timestampUnitsToMs } from '../../../../firmware/media/rtp/timestamp.ts';

test('RFC 3550 §5.1: sequence numbers wrap 65535 → 0 and compare across the wrap', () => {
  assert.equal(addSequence(65535, 1), 0);
  assert.equal(addSequence(0, -1), 65535);
  assert.equal(addSequence(65530, 10), 4);
  assert.equal(sequenceDelta(0, 65535), 1);
  assert.equal(sequenceDelta(65535, 0), -1);
  assert.equal(sequenceDelta(5, 65530), 11);
  assert.equal(sequenceDelta(100, 100), 0);
  assert.equal(sequenceDelta(32767, 0), 32767);
  assert.equal(sequenceDelta(32768, 0), -32768);
  assert.equal(isSequenceNewer(0, 65535), true);
  assert.equal(isSequenceNewer(65535, 0), false);
  assert.equal(isSequenceNewer(7, 7), false);
});

test('RFC 3550 §5.1: timestamps wrap at 2^32 and differences are signed 32-bit', () => {
  assert.equal(addTimestamp(0xffff_ff60, 160), 0);
  assert.equal(addTimestamp(0xffff_ffff, 1), 0);
  assert.equal(addTimestamp(0, -1), 0xffff_ffff);
  assert.equal(timestampDelta(0, 0xffff_ffff), 1);
  assert.equal(timestampDelta(0xffff_ffff, 0), -1);
  assert.equal(timestampDelta(100, 0xffff_ff60), 260);
  assert.equal(timestampDelta(0x7fff_ffff, 0), 0x7fff_ffff);
  assert.equal(timestampDelta(0x8000_0000, 0), -0x8000_0000);
  assert.equal(isTimestampNewer(10, 0xffff_fff0), true);
  assert.equal(isTimestampNewer(0xffff_fff0, 10), false);
  assert.equal(timestampUnitsToMs(160, 8000), 20);
  assert.equal(timestampUnitsToMs(960, 48000), 20);
});
