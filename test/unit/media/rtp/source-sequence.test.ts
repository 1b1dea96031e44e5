import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_DROPOUT, MAX_MISORDER, SourceSequence } from '../../../../firmware/media/rtp/source-sequence.ts';

test('RFC 3550 A.1: a new source is on probation until MIN_SEQUENTIAL (2) packets arrive in sequence', () => {
  const source = new SourceSequence(1000);
  assert.equal(source.update(1000), 'probation');
  assert.equal(source.validated, false);
  assert.equal(source.expected, 0);
  assert.equal(source.update(1001), 'valid');
  assert.equal(source.validated, true);
  // init_seq(s, seq) on the validating packet: counting starts there.
  assert.equal(source.baseSequence, 1001);
  assert.equal(source.received, 1);
  assert.equal(source.expected, 1);
});

test('RFC 3550 A.1: an out-of-sequence packet during probation restarts it', () => {
  const source = new SourceSequence(10);
  assert.equal(source.update(10), 'probation');
  assert.equal(source.update(50), 'probation');
  assert.equal(source.update(52), 'probation');
  assert.equal(source.update(53), 'valid');
  assert.equal(source.baseSequence, 53);
});

test('RFC 3550 A.1: probation passes across the 65535 → 0 wrap', () => {
  const source = new SourceSequence(65535);
  assert.equal(source.update(65535), 'probation');
  assert.equal(source.update(0), 'valid');
  assert.equal(source.extendedHighestSequence, 0);
});

test('RFC 3550 A.1: minSequential 1 validates on the first packet', () => {
  const source = new SourceSequence(7, { minSequential: 1 });
  assert.equal(source.update(7), 'valid');
  assert.equal(source.expected, 1);
});

test('RFC 3550 A.1: extended sequence numbers count 64K cycles on wraparound', () => {
  const source = new SourceSequence(65530);
  for (let seq = 65530; seq <= 65535; seq++) source.update(seq);
  for (let seq = 0; seq <= 5; seq++) assert.equal(source.update(seq), 'valid');
  assert.equal(source.extendedHighestSequence, 65536 + 5);
  // base 65531 (validated there) through 65536+5.
  assert.equal(source.expected, 65541 - 65531 + 1);
  assert.equal(source.received, 11);
});

test('RFC 3550 A.1: a gap below MAX_DROPOUT is accepted and counts as expected', () => {
  const source = new SourceSequence(100);
  source.update(100);
  source.update(101);
  assert.equal(source.update(101 + MAX_DROPOUT - 1), 'valid');
  assert.equal(source.expected, MAX_DROPOUT);
  assert.equal(source.received, 2);
});

test('RFC 3550 A.1: a late packet within MAX_MISORDER is valid and does not move max_seq', () => {
  const source = new SourceSequence(500);
  for (let seq = 500; seq <= 510; seq++) source.update(seq);
  assert.equal(source.update(505), 'valid');
  assert.equal(source.update(510 - MAX_MISORDER + 1), 'valid');
  assert.equal(source.extendedHighestSequence, 510);
});

test('RFC 3550 A.1: late by more than MAX_MISORDER is a large jump, discarded', () => {
  const source = new SourceSequence(500);
  for (let seq = 500; seq <= 800; seq++) source.update(seq);
  assert.equal(source.update(800 - MAX_MISORDER - 100), 'bad-jump');
  assert.equal(source.extendedHighestSequence, 800);
});

test('RFC 3550 A.1: a jump of MAX_DROPOUT is held; the next sequential packet re-syncs (sender restarted)', () => {
  const source = new SourceSequence(1000);
  for (let seq = 1000; seq <= 1010; seq++) source.update(seq);
  const receivedBefore = source.received;
  assert.equal(source.update(1010 + MAX_DROPOUT), 'bad-jump');
  assert.equal(source.received, receivedBefore);
  assert.equal(source.update(40000), 'bad-jump'); // not bad_seq: still held
  assert.equal(source.update(40001), 'restarted');
  assert.equal(source.baseSequence, 40001);
  assert.equal(source.received, 1);
  assert.equal(source.update(40002), 'valid');
  assert.equal(source.extendedHighestSequence, 40002);
});
