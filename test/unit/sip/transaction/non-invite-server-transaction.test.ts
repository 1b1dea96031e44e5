import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../../../test/support/fake-clock.ts';
import { RecordingTransport, settle } from '../../../../test/support/recording-transport.ts';
import { testRequest, testResponse, testSource } from '../../../../test/support/transaction-messages.ts';
import { NonInviteServerTransaction } from '../../../../firmware/sip/transaction/non-invite-server-transaction.ts';
import { createTimerConfig, type TimerConfig } from '../../../../firmware/sip/transaction/timer-config.ts';
import { TransactionState } from '../../../../firmware/sip/transaction/transaction-state.ts';
import type { ServerTransactionEvent } from '../../../../firmware/sip/transaction/types.ts';
import type { TransportProtocol } from '../../../../firmware/sip/transport/types.ts';

function setup(options: { protocol?: TransportProtocol; timerConfig?: TimerConfig } = {}) {
  const clock = new FakeClock();
  const transport = new RecordingTransport(clock);
  const events: ServerTransactionEvent[] = [];
  let terminatedCount = 0;
  const protocol = options.protocol ?? 'udp';
  const request = testRequest({ method: 'BYE', toTag: 'to-1', viaTransport: protocol.toUpperCase() });
  const transaction = new NonInviteServerTransaction({
    id: 'nist-test',
    request,
    source: testSource(protocol),
    responseDestination: { protocol, address: '192.0.2.1', port: 5060 },
    transport,
    clock,
    ...(options.timerConfig ? { timerConfig: options.timerConfig } : {}),
    onEvent: (event) => events.push(event),
    onTerminated: () => terminatedCount++,
  });
  return { clock, transport, events, request, transaction, terminated: () => terminatedCount };
}

const sentStatuses = (transport: RecordingTransport): number[] => transport.responses().map((r) => r.status);

test('RFC 3261 §17.2.2: request retransmissions in Trying are discarded', () => {
  const { clock, transport, request, transaction } = setup();
  transaction.receiveRequest(request);
  clock.advance(1_000);
  assert.equal(transport.sent.length, 0, 'no automatic 100 for non-INVITE (RFC 4320 §4.1)');
  assert.equal(transaction.state, TransactionState.Trying);
});

test('RFC 3261 §17.2.2: a 1xx enters Proceeding; a retransmission there resends the latest provisional', () => {
  const { transport, request, transaction } = setup();
  transaction.respond(testResponse(request, 180));
  assert.equal(transaction.state, TransactionState.Proceeding);
  transaction.respond(testResponse(request, 183));
  transaction.receiveRequest(request);
  assert.deepEqual(sentStatuses(transport), [180, 183, 183]);
});

test('RFC 3261 §17.2.2: in Completed a retransmission resends the final response; further finals from the TU are discarded', () => {
  const { transport, request, transaction } = setup();
  transaction.respond(testResponse(request, 200));
  assert.equal(transaction.state, TransactionState.Completed);
  transaction.receiveRequest(request);
  transaction.respond(testResponse(request, 500));
  transaction.receiveRequest(request);
  assert.deepEqual(sentStatuses(transport), [200, 200, 200]);
});

test('RFC 3261 §17.2.2: Timer J keeps Completed for 64*T1 on UDP', () => {
  const { clock, request, transaction, terminated } = setup();
  transaction.respond(testResponse(request, 481));
  clock.advance(31_999);
  assert.equal(transaction.state, TransactionState.Completed);
  clock.advance(1);
  assert.equal(transaction.state, TransactionState.Terminated);
  assert.equal(terminated(), 1);
});

test('Timer J is zero on reliable transports: Terminated as soon as the final response is sent', () => {
  const { transport, request, transaction, terminated } = setup({ protocol: 'tcp' });
  transaction.respond(testResponse(request, 200));
  assert.equal(transaction.state, TransactionState.Terminated);
  assert.equal(transport.responses(200).length, 1);
  assert.equal(terminated(), 1);
});

test('custom T1: Timer J = 64*T1 = 12800 ms with T1 = 200 ms', () => {
  const { clock, request, transaction } = setup({ timerConfig: createTimerConfig({ t1Ms: 200 }) });
  transaction.respond(testResponse(request, 200));
  clock.advance(12_799);
  assert.equal(transaction.state, TransactionState.Completed);
  clock.advance(1);
  assert.equal(transaction.state, TransactionState.Terminated);
});

test('illegal transitions throw: a 1xx after the final response, any response after Terminated', () => {
  const { request, transaction } = setup({ protocol: 'tcp' });
  const udp = setup();
  udp.transaction.respond(testResponse(udp.request, 200));
  assert.throws(() => udp.transaction.respond(testResponse(udp.request, 180)), /invalid state transition from Completed to Proceeding/);
  transaction.respond(testResponse(request, 200));
  assert.throws(() => transaction.respond(testResponse(request, 180)), /from Terminated to Proceeding/);
});

test('RFC 6026 §8.8: a transport error is reported to the TU and the transaction keeps its state', async () => {
  const { transport, events, request, transaction } = setup();
  transport.failWhen = () => true;
  transaction.respond(testResponse(request, 180));
  await settle();
  assert.equal(events[0]?.type, 'transport-error');
  assert.equal(transaction.state, TransactionState.Proceeding);
});
