import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../../support/fake-clock.ts';
import { RawUdpPeer, sleep, startLayer } from './fixtures.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

test('RFC 5626 §3.5.1: UDP keep-alive sends CRLFCRLF to the registrar every interval until stopped', async () => {
  const clock = new FakeClock();
  const phone = await startLayer({ clock });
  cleanups.push(() => phone.stop());
  const registrar = await RawUdpPeer.start();
  cleanups.push(() => registrar.close());
  const handle = phone.startKeepAlive({ protocol: 'udp', address: '127.0.0.1', port: registrar.port }, { intervalMs: 25_000 });

  clock.advance(24_999);
  await sleep(50);
  assert.equal(registrar.received.length, 0, 'nothing before the first interval');
  clock.advance(1);
  const [first] = await registrar.waitFor(1);
  assert.equal(first?.toString(), '\r\n\r\n');
  clock.advance(25_000);
  await registrar.waitFor(2);

  handle.stop();
  clock.advance(100_000);
  await sleep(50);
  assert.equal(registrar.received.length, 2, 'no keep-alive after stop()');
  assert.equal(clock.pendingCount, 0, 'no timer left behind');
});

test('RFC 5626 §4.4.1: stop() on the layer stops every keep-alive', async () => {
  const clock = new FakeClock();
  const phone = await startLayer({ clock });
  phone.startKeepAlive({ protocol: 'udp', address: '127.0.0.1', port: 9 }, { intervalMs: 1_000 });
  await phone.stop();
  assert.equal(clock.pendingCount, 0);
});
