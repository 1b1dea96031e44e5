import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalHeaderName, splitCommaList } from '../../firmware/sip/message/headers.ts';

test('RFC 3261 §7.3.3: compact forms map to their long names', () => {
  assert.equal(canonicalHeaderName('v'), 'via');
  assert.equal(canonicalHeaderName('I'), 'call-id');
  assert.equal(canonicalHeaderName('Content-Length'), 'content-length');
});

test('RFC 3261 §7.3.1: comma lists split outside quotes and angle brackets only', () => {
  assert.deepEqual(splitCommaList('"a, b" <sip:x@y;p=1,2>, <sip:z@w>'), ['"a, b" <sip:x@y;p=1,2>', '<sip:z@w>']);
  assert.deepEqual(splitCommaList(' , SIP/2.0/UDP h ,'), ['SIP/2.0/UDP h']);
});
