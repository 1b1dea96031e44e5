import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../../../test/support/fake-clock.ts';
import { RecordingTransport, settle } from '../../../../test/support/recording-transport.ts';
import { testRequest, testResponse, testSource } from '../../../../test/support/transaction-messages.ts';
import { toTag } from '../../../../firmware/sip/message/header-values.ts';
import type { SipMessage } from '../../../../firmware/sip/message/types.ts';
import { InviteServerTransaction } from '../../../../firmware/sip/transaction/invite-server-transaction.ts';
import { createTimerConfig, type TimerConfig } from '../../../../firmware/sip/transaction/timer-config.ts';
import { TransactionState } from '../../../../firmware/sip/transaction/transaction-state.ts';
import type { ServerTransactionEvent } from '../../../../firmware/sip/transaction/types.ts';
import type { Destination, TransportProtocol } from '../../../../firmware/sip/transport/types.ts';

const RESPONSE_DESTINATION: Destination = { protocol: 'udp', address: '192.0.2.1', port: 5060 };

function setup(options: { protocol?: TransportProtocol; timerConfig?: TimerConfig } = {}) {
  const clock = new FakeClock();
  const transport = new RecordingTransport(clock);
  const events: ServerTransactionEvent[] = [];
  let terminatedCount = 0;
  const protocol = options.protocol ?? 'udp';
  const request = testRequest({ method: 'INVITE', viaTransport: protocol.toUpperCase() });
  const transaction = new InviteServerTransaction({
    id: 'ist-test',
    request,
    source: testSource(protocol),
    responseDestination: { ...RESPONSE_DESTINATION, protocol },
    transport,
    clock,
    ...(options.timerConfig ? { timerConfig: options.timerConfig } : {}),
    onEvent: (event) => events.push(event),
    onTerminated: () => terminatedCount++,
  });
  const ack = testRequest({ method: 'ACK', cseqMethod: 'ACK', toTag: 'to-1' });
  return { clock, transport, events, request, ack, transaction, terminated: () => terminatedCount };
}

const status = (code: number) => (m: SipMessage): boolean => m.kind === 'response' && m.status === code;

test('RFC 3261 §17.2.1: 100 Trying sent after 200 ms when the TU is silent', () => {
  const { clock, transport, transaction } = setup();
  clock.advance(199);
  assert.equal(transport.sent.length, 0);
  clock.advance(1);
  const [trying] = transport.responses(100);
  assert.ok(trying, '100 Trying sent');
  assert.equal(toTag(trying), undefined, 'RFC 3261 §8.2.6.1: no To tag on a 100');
  assert.deepEqual(transport.sent[0]?.destination, RESPONSE_DESTINATION);
  assert.equal(transaction.state, TransactionState.Proceeding);
  clock.advance(10_000);
  assert.equal(transport.sent.length, 1, 'sent once, not retransmitted');
});

test('RFC 3261 §17.2.1: no automatic 100 Trying when the TU answers within 200 ms', () => {
  const { clock, transport, request, transaction } = setup();
  clock.advance(150);
  transaction.respond(testResponse(request, 180));
  clock.advance(1_000);
  assert.deepEqual(transport.sent.map((s) => (s.message.kind === 'response' ? s.message.status : 0)), [180]);
});

test('RFC 3261 §17.2.1: an INVITE retransmission in Proceeding resends the most recent provisional response', () => {
  const { transport, request, transaction } = setup();
  transaction.respond(testResponse(request, 180));
  transaction.respond(testResponse(request, 183));
  transaction.receiveRequest(request);
  assert.deepEqual(transport.sent.map((s) => (s.message.kind === 'response' ? s.message.status : 0)), [180, 183, 183]);
});

test('RFC 3261 §17.2.1: an INVITE retransmission in Proceeding resends the automatic 100 Trying', () => {
  const { clock, transport, request, transaction } = setup();
  clock.advance(200);
  transaction.receiveRequest(request);
  assert.equal(transport.responses(100).length, 2);
});

test('RFC 3261 §17.2.1: Timer G retransmits a non-2xx final at T1, 2*T1, 4*T1 capped at T2', () => {
  const { clock, transport, request, transaction } = setup();
  transaction.respond(testResponse(request, 486));
  assert.equal(transaction.state, TransactionState.Completed);
  clock.advance(20_000);
  assert.deepEqual(transport.timesOf(status(486)), [0, 500, 1500, 3500, 7500, 11500, 15500, 19500]);
});

test('RFC 3261 §17.2.1: Timer H fires at 64*T1 when no ACK arrives and informs the TU', () => {
  const { clock, events, request, transaction, terminated } = setup();
  transaction.respond(testResponse(request, 404));
  clock.advance(31_999);
  assert.equal(transaction.state, TransactionState.Completed);
  assert.equal(events.length, 0);
  clock.advance(1);
  assert.deepEqual(events, [{ type: 'timeout', timer: 'H' }]);
  assert.equal(transaction.state, TransactionState.Terminated);
  assert.equal(terminated(), 1);
  assert.equal(clock.pendingCount, 0);
});

test('RFC 3261 §17.2.1: an INVITE retransmission in Completed resends the final response', () => {
  const { transport, request, transaction } = setup();
  transaction.respond(testResponse(request, 486));
  transaction.receiveRequest(request);
  assert.equal(transport.responses(486).length, 2);
});

test('RFC 3261 §17.2.1: ACK in Completed → Confirmed, retransmissions stop, Timer I (T4) then Terminated', () => {
  const { clock, transport, request, ack, transaction, terminated } = setup();
  transaction.respond(testResponse(request, 486));
  clock.advance(600); // one Timer G retransmission at 500
  transaction.receiveRequest(ack);
  assert.equal(transaction.state, TransactionState.Confirmed);
  transaction.receiveRequest(ack); // absorbed
  transaction.receiveRequest(request); // absorbed too
  clock.advance(4_999);
  assert.equal(transaction.state, TransactionState.Confirmed);
  assert.deepEqual(transport.timesOf(status(486)), [0, 500], 'Timer G no longer fires in Confirmed');
  clock.advance(1);
  assert.equal(transaction.state, TransactionState.Terminated);
  assert.equal(terminated(), 1);
});

test('Timer I is zero on reliable transports, and Timer G never runs there', () => {
  const { clock, transport, request, ack, transaction } = setup({ protocol: 'tcp' });
  transaction.respond(testResponse(request, 603));
  clock.advance(10_000);
  assert.equal(transport.responses(603).length, 1, 'no Timer G on TCP');
  transaction.receiveRequest(ack);
  assert.equal(transaction.state, TransactionState.Terminated);
});

test('RFC 3261 §17.2.1: Timer H is 64*T1 on reliable transports too', () => {
  const { clock, events, request, transaction } = setup({ protocol: 'tls' });
  transaction.respond(testResponse(request, 480));
  clock.advance(32_000);
  assert.equal(events[0]?.type, 'timeout');
});

test('RFC 6026 §8.7: after a 2xx the transaction is Accepted, absorbs INVITE retransmissions, sends the TU\'s 2xx retransmissions, and ends on Timer L', () => {
  const { clock, transport, request, transaction, terminated } = setup();
  const ok = testResponse(request, 200);
  transaction.respond(ok);
  assert.equal(transaction.state, TransactionState.Accepted);
  transaction.receiveRequest(request);
  assert.equal(transport.responses(200).length, 1, 'the INVITE retransmission is absorbed, no 2xx resent by the transaction');
  clock.advance(500);
  transaction.respond(ok); // the TU (UAS core) retransmits its 2xx (RFC 3261 §13.3.1.4)
  assert.equal(transport.responses(200).length, 2);
  clock.advance(31_499);
  assert.equal(transaction.state, TransactionState.Accepted);
  clock.advance(1);
  assert.equal(transaction.state, TransactionState.Terminated);
  assert.equal(terminated(), 1);
});

test('RFC 6026 §7.1: an ACK matching the transaction in Accepted goes to the TU', () => {
  const { events, request, ack, transaction } = setup();
  transaction.respond(testResponse(request, 200));
  transaction.receiveRequest(ack);
  assert.equal(events.length, 1);
  assert.equal(events[0]?.type, 'ack');
  assert.equal(events[0]?.type === 'ack' ? events[0].request : undefined, ack);
  assert.equal(transaction.state, TransactionState.Accepted);
});

test('custom T1/T2: Timer G at 100, 300, 700, 1100 ms (T2 = 400) and Timer H at 6400 ms', () => {
  const { clock, transport, events, request, transaction } = setup({ timerConfig: createTimerConfig({ t1Ms: 100, t2Ms: 400 }) });
  transaction.respond(testResponse(request, 500));
  clock.advance(1_200);
  assert.deepEqual(transport.timesOf(status(500)), [0, 100, 300, 700, 1100]);
  clock.advance(6_400 - 1_200 - 1);
  assert.equal(events.length, 0);
  clock.advance(1);
  assert.equal(events[0]?.type, 'timeout');
});

test('custom T4 and T1: Timer I = T4 and Timer L = 64*T1', () => {
  const config = createTimerConfig({ t1Ms: 50, t4Ms: 700 });
  const confirmed = setup({ timerConfig: config });
  confirmed.transaction.respond(testResponse(confirmed.request, 486));
  confirmed.transaction.receiveRequest(confirmed.ack);
  confirmed.clock.advance(699);
  assert.equal(confirmed.transaction.state, TransactionState.Confirmed);
  confirmed.clock.advance(1);
  assert.equal(confirmed.transaction.state, TransactionState.Terminated);

  const accepted = setup({ timerConfig: config });
  accepted.transaction.respond(testResponse(accepted.request, 200));
  accepted.clock.advance(3_199);
  assert.equal(accepted.transaction.state, TransactionState.Accepted);
  accepted.clock.advance(1);
  assert.equal(accepted.transaction.state, TransactionState.Terminated);
});

test('illegal transitions throw: a 1xx or a 2xx after a non-2xx final, a 1xx after a 2xx, anything after Terminated', () => {
  const { request, ack, transaction } = setup({ protocol: 'tcp' });
  transaction.respond(testResponse(request, 486));
  assert.throws(() => transaction.respond(testResponse(request, 180)), /invalid state transition from Completed to Proceeding/);
  assert.throws(() => transaction.respond(testResponse(request, 200)), /invalid state transition from Completed to Accepted/);
  transaction.receiveRequest(ack);
  assert.throws(() => transaction.respond(testResponse(request, 486)), /invalid state transition from Terminated to Completed/);

  const accepted = setup();
  accepted.transaction.respond(testResponse(accepted.request, 200));
  assert.throws(() => accepted.transaction.respond(testResponse(accepted.request, 180)), /from Accepted to Proceeding/);
  assert.throws(() => accepted.transaction.respond(testResponse(accepted.request, 486)), /from Accepted to Completed/);
  assert.throws(() => accepted.transaction.respond(testResponse(accepted.request, 99)), RangeError);
});

test('RFC 6026 §8.8: a transport error sending a response is reported and the transaction stays in its state', async () => {
  const { clock, transport, events, request, transaction } = setup();
  transport.failWhen = () => true;
  transaction.respond(testResponse(request, 486));
  await settle();
  assert.equal(events[0]?.type, 'transport-error');
  assert.equal(transaction.state, TransactionState.Completed);
  clock.advance(32_000);
  assert.equal(transaction.state, TransactionState.Terminated, 'Timer H still ends it');
});

test('an INVITE server transaction only carries INVITE', () => {
  const clock = new FakeClock();
  assert.throws(
    () =>
      new InviteServerTransaction({
        id: 'x',
        request: testRequest({ method: 'OPTIONS' }),
        source: testSource(),
        responseDestination: RESPONSE_DESTINATION,
        transport: new RecordingTransport(clock),
        clock,
        onEvent: () => {},
      }),
    TypeError,
  );
});
