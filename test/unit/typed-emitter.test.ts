import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TypedEmitter } from '../../firmware/core/typed-emitter.ts';

type Ev = { type: 'a'; n: number } | { type: 'b'; s: string };

test('listeners get only their variant; a throwing listener does not stop the others', async () => {
  const errors: unknown[] = [];
  const emitter = new TypedEmitter<Ev>((error) => errors.push(error));
  const seen: string[] = [];
  emitter.on('a', () => {
    throw new Error('broken widget');
  });
  emitter.on('a', (e) => seen.push(`a${e.n}`));
  const off = emitter.on('b', (e) => seen.push(`b${e.s}`));
  emitter.onAny((e) => seen.push(`any:${e.type}`));
  const second = emitter.once('a', (e) => e.n === 2);
  emitter.emit({ type: 'a', n: 1 });
  emitter.emit({ type: 'b', s: 'x' });
  off();
  emitter.emit({ type: 'b', s: 'y' });
  emitter.emit({ type: 'a', n: 2 });
  assert.deepEqual(seen, ['a1', 'any:a', 'bx', 'any:b', 'any:b', 'a2', 'any:a']);
  assert.equal((await second).n, 2);
  assert.equal(errors.length, 2);
});
