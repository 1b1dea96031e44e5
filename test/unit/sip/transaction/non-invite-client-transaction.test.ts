import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../../../test/support/fake-clock.ts';
import { RecordingTransport, settle } from '../../../../test/support/recording-transport.ts';
import { testDestination, testRequest, testResponse } from '../../../../test/support/transaction-messages.ts';
import { NonInviteClientTransaction } from '../../../../firmware/sip/transaction/non-invite-client-transaction.ts';
import { createTimerConfig, type TimerConfig } from '../../../../firmware/sip/transaction/timer-config.ts';
import { TransactionState } from '../../../../firmware/sip/transaction/transaction-state.ts';
import type { ClientTransactionEvent } from '../../../../firmware/sip/transaction/types.ts';
import type { TransportProtocol } from '../../../../firmware/sip/transport/types.ts';

function setup(options: { protocol?: TransportProtocol; timerConfig?: TimerConfig } = {}) {
  const clock = new FakeClock();
  const transport = new RecordingTransport(clock);
  const events: ClientTransactionEvent[] = [];
  let terminatedCount = 0;
  const request = testRequest({ method: 'OPTIONS' });
  const start = (): NonInviteClientTransaction =>
    new NonInviteClientTransaction({
      id: 'nict-test',
      request,
      destination: testDestination(options.protocol ?? 'udp'),
      transport,
      clock,
      ...(options.timerConfig ? { timerConfig: options.timerConfig } : {}),
      onEvent: (event) => events.push(event),
      onTerminated: () => terminatedCount++,
    });
  return { clock, transport, events, request, start, terminated: () => terminatedCount };
}

const isOptions = (m: { kind: string }): boolean => m.kind === 'request';

test('RFC 3261 §17.1.2.2: Timer E doubles up to T2 on UDP: sends at 0, 500, 1500, 3500, 7500, 11500 ms', () => {
  const { clock, transport, start } = setup();
  const transaction = start();
  clock.advance(12_000);
  assert.deepEqual(transport.timesOf(isOptions), [0, 500, 1500, 3500, 7500, 11500]);
  assert.equal(transaction.state, TransactionState.Trying);
});

test('RFC 3261 §17.1.2.2: Timer F fires at 64*T1 and reports timeout (408) to the TU', () => {
  const { clock, transport, events, start, terminated } = setup();
  const transaction = start();
  clock.advance(31_999);
  assert.equal(events.length, 0);
  clock.advance(1);
  assert.deepEqual(events, [{ type: 'timeout', timer: 'F', equivalentStatus: 408 }]);
  assert.equal(transaction.state, TransactionState.Terminated);
  assert.equal(terminated(), 1);
  assert.equal(clock.pendingCount, 0, 'no timer left running');
  // Every retransmission happened before Timer F: 0 .. 31500 with the T2 cap.
  assert.deepEqual(transport.timesOf(isOptions), [0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
});

test('RFC 3261 §17.1.2.2: Timer E caps at T2 in Proceeding', () => {
  const { clock, transport, events, request, start } = setup();
  const transaction = start();
  clock.advance(100);
  transaction.receiveResponse(testResponse(request, 180));
  assert.equal(transaction.state, TransactionState.Proceeding);
  assert.equal(events.length, 1);
  clock.advance(12_400); // now 12500 ms
  // Timer E armed in Trying fires at 500, then is reset to T2 every time
  // (in Trying the intervals would have been 1000, 2000, 4000: 1500, 3500, 7500).
  assert.deepEqual(transport.timesOf(isOptions), [0, 500, 4500, 8500, 12500]);
});

test('RFC 3261 §17.1.2.2: Timer F also times out a transaction in Proceeding', () => {
  const { clock, events, request, start } = setup();
  const transaction = start();
  transaction.receiveResponse(testResponse(request, 100));
  clock.advance(32_000);
  assert.equal(events.at(-1)?.type, 'timeout');
  assert.equal(transaction.state, TransactionState.Terminated);
});

test('RFC 3261 §17.1.2.2: a final response goes to the TU once; Completed absorbs retransmissions until Timer K (T4)', () => {
  const { clock, transport, events, request, start, terminated } = setup();
  const transaction = start();
  clock.advance(1_000);
  transaction.receiveResponse(testResponse(request, 200));
  assert.equal(transaction.state, TransactionState.Completed);
  transaction.receiveResponse(testResponse(request, 200));
  transaction.receiveResponse(testResponse(request, 180));
  assert.deepEqual(events.map((e) => (e.type === 'response' ? e.response.status : e.type)), [200]);
  const sentBefore = transport.sent.length;
  clock.advance(4_999);
  assert.equal(transaction.state, TransactionState.Completed);
  assert.equal(transport.sent.length, sentBefore, 'no retransmission in Completed');
  clock.advance(1);
  assert.equal(transaction.state, TransactionState.Terminated);
  assert.equal(terminated(), 1);
});

test('RFC 3261 §17.1.2.2: provisional responses in Proceeding all go to the TU', () => {
  const { events, request, start } = setup();
  const transaction = start();
  transaction.receiveResponse(testResponse(request, 100));
  transaction.receiveResponse(testResponse(request, 183));
  transaction.receiveResponse(testResponse(request, 404));
  assert.deepEqual(events.map((e) => (e.type === 'response' ? e.response.status : e.type)), [100, 183, 404]);
  assert.equal(transaction.state, TransactionState.Completed);
});

test('Timer K is zero on reliable transports (RFC 3261 §17.1.2.2): Terminated at the final response', () => {
  const { clock, events, request, start, terminated } = setup({ protocol: 'tcp' });
  const transaction = start();
  transaction.receiveResponse(testResponse(request, 200));
  assert.equal(transaction.state, TransactionState.Terminated);
  assert.equal(events.length, 1);
  assert.equal(terminated(), 1);
  assert.equal(clock.pendingCount, 0);
});

test('RFC 3261 §17.1.2.2: no Timer E on TCP, but Timer F still fires at 64*T1', () => {
  const { clock, transport, events, start } = setup({ protocol: 'tcp' });
  start();
  clock.advance(31_999);
  assert.equal(transport.sent.length, 1);
  clock.advance(1);
  assert.equal(events[0]?.type, 'timeout');
});

test('custom T1/T2: Timer E at T1 = 100 ms doubling to T2 = 400 ms, Timer F at 6400 ms', () => {
  const { clock, transport, events, start } = setup({ timerConfig: createTimerConfig({ t1Ms: 100, t2Ms: 400, t4Ms: 1_000 }) });
  start();
  clock.advance(1_600);
  assert.deepEqual(transport.timesOf(isOptions), [0, 100, 300, 700, 1100, 1500]);
  clock.advance(6_400 - 1_600 - 1);
  assert.equal(events.length, 0);
  clock.advance(1);
  assert.equal(events[0]?.type, 'timeout');
});

test('custom T4: Timer K lasts T4 on UDP', () => {
  const { clock, request, start } = setup({ timerConfig: createTimerConfig({ t4Ms: 2_000 }) });
  const transaction = start();
  transaction.receiveResponse(testResponse(request, 202));
  clock.advance(1_999);
  assert.equal(transaction.state, TransactionState.Completed);
  clock.advance(1);
  assert.equal(transaction.state, TransactionState.Terminated);
});

test('RFC 3261 §17.1.4: a transport error is reported to the TU as 503 and terminates the transaction', async () => {
  const { clock, transport, events, start, terminated } = setup();
  transport.failWhen = () => true;
  const transaction = start();
  await settle();
  assert.equal(events.length, 1);
  const event = events[0];
  assert.equal(event?.type, 'transport-error');
  assert.equal(event?.type === 'transport-error' ? event.equivalentStatus : 0, 503);
  assert.equal(transaction.state, TransactionState.Terminated);
  assert.equal(terminated(), 1);
  clock.advance(40_000);
  assert.equal(transport.sent.length, 1, 'no retransmission after the failure');
  assert.equal(events.length, 1, 'no timeout after the failure');
});

test('RFC 3261 §18.1.1: a request the transport moved to TCP is not retransmitted', async () => {
  const { clock, transport, start } = setup();
  transport.reportProtocol = 'tcp';
  start();
  await settle();
  clock.advance(10_000);
  assert.equal(transport.sent.length, 1);
});

test('a non-INVITE client transaction refuses INVITE and ACK', () => {
  const clock = new FakeClock();
  const transport = new RecordingTransport(clock);
  for (const method of ['INVITE', 'ACK']) {
    assert.throws(
      () => new NonInviteClientTransaction({ id: 'x', request: testRequest({ method }), destination: testDestination(), transport, clock, onEvent: () => {} }),
      TypeError,
    );
  }
});
