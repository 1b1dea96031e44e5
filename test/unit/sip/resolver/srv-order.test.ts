import { test } from 'node:test';
import assert from 'node:assert/strict';
import { orderSrvRecords } from '../../../../firmware/sip/resolver/srv-order.ts';

const srv = (name: string, priority: number, weight: number) => ({ name, port: 5060, priority, weight });

test('RFC 2782: zero-weight records come first in their priority and win only on random 0', () => {
  const records = [srv('w10', 1, 10), srv('zero', 1, 0)];
  assert.deepEqual(orderSrvRecords(records, () => 0).map((r) => r.name), ['zero', 'w10']);
  assert.deepEqual(orderSrvRecords(records, () => 0.5).map((r) => r.name), ['w10', 'zero']);
});

test('RFC 2782: a target of "." (service not available) is dropped', () => {
  assert.deepEqual(orderSrvRecords([srv('.', 1, 1), srv('x', 2, 1)], () => 0).map((r) => r.name), ['x']);
});
