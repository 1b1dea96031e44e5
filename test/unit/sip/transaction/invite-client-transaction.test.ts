import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../../../test/support/fake-clock.ts';
import { RecordingTransport, settle } from '../../../../test/support/recording-transport.ts';
import { testDestination, testRequest, testResponse } from '../../../../test/support/transaction-messages.ts';
import { getHeader, getHeaderValues } from '../../../../firmware/sip/message/headers.ts';
import type { SipMessage, SipRequest } from '../../../../firmware/sip/message/types.ts';
import { InviteClientTransaction } from '../../../../firmware/sip/transaction/invite-client-transaction.ts';
import { createTimerConfig, type TimerConfig } from '../../../../firmware/sip/transaction/timer-config.ts';
import { TransactionState } from '../../../../firmware/sip/transaction/transaction-state.ts';
import type { ClientTransactionEvent } from '../../../../firmware/sip/transaction/types.ts';
import type { TransportProtocol } from '../../../../firmware/sip/transport/types.ts';

function setup(options: { protocol?: TransportProtocol; timerConfig?: TimerConfig; request?: SipRequest } = {}) {
  const clock = new FakeClock();
  const transport = new RecordingTransport(clock);
  const events: ClientTransactionEvent[] = [];
  let terminatedCount = 0;
  const request = options.request ?? testRequest({ method: 'INVITE' });
  const start = (): InviteClientTransaction =>
    new InviteClientTransaction({
      id: 'ict-test',
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

const isInvite = (m: SipMessage): boolean => m.kind === 'request' && m.method === 'INVITE';
const isAck = (m: SipMessage): boolean => m.kind === 'request' && m.method === 'ACK';
const statuses = (events: ClientTransactionEvent[]): Array<number | string> =>
  events.map((e) => (e.type === 'response' ? e.response.status : e.type));

test('RFC 3261 §17.1.1.2: Timer A doubles on UDP: retransmits at 500, 1500, 3500 ms', () => {
  const { clock, transport, start } = setup();
  start();
  clock.advance(4_000);
  assert.deepEqual(transport.timesOf(isInvite), [0, 500, 1500, 3500]);
  clock.advance(28_000);
  // No T2 cap for INVITE: 7500, 15500, 31500, then Timer B at 32000.
  assert.deepEqual(transport.timesOf(isInvite), [0, 500, 1500, 3500, 7500, 15500, 31500]);
});

test('RFC 3261 §17.1.1.2: Timer B fires at 64*T1 and reports timeout', () => {
  const { clock, transport, events, start, terminated } = setup();
  const transaction = start();
  clock.advance(31_999);
  assert.equal(events.length, 0);
  assert.equal(transaction.state, TransactionState.Calling);
  clock.advance(1);
  assert.deepEqual(events, [{ type: 'timeout', timer: 'B', equivalentStatus: 408 }]);
  assert.equal(transaction.state, TransactionState.Terminated);
  assert.equal(terminated(), 1);
  assert.equal(transport.timesOf(isAck).length, 0, 'no ACK on timeout');
  assert.equal(clock.pendingCount, 0);
});

test('RFC 3261 §17.1.1.2: a 1xx moves to Proceeding, stops Timer A, and Timer B no longer applies', () => {
  const { clock, transport, events, request, start } = setup();
  const transaction = start();
  clock.advance(600);
  transaction.receiveResponse(testResponse(request, 100));
  transaction.receiveResponse(testResponse(request, 180));
  assert.equal(transaction.state, TransactionState.Proceeding);
  clock.advance(120_000);
  assert.deepEqual(transport.timesOf(isInvite), [0, 500]);
  assert.deepEqual(statuses(events), [100, 180]);
  assert.equal(transaction.state, TransactionState.Proceeding);
});

test('RFC 3261 §17.1.1.3: the ACK for a non-2xx copies branch, Request-URI, Call-ID, From, Route; To from the response; CSeq method ACK', () => {
  const invite = testRequest({ method: 'INVITE', cseq: 17, routes: ['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>'] });
  invite.headers.splice(1, 0, { name: 'Via', value: 'SIP/2.0/UDP proxy.example.com;branch=z9hG4bK-lower' });
  const { transport, events, start } = setup({ request: invite });
  const transaction = start();
  const busy = testResponse(invite, 486, 'callee-tag');
  transaction.receiveResponse(busy);
  assert.equal(transaction.state, TransactionState.Completed);
  assert.deepEqual(statuses(events), [486]);
  const [ack] = transport.requests('ACK');
  assert.ok(ack);
  assert.equal(ack.uri, invite.uri);
  assert.deepEqual(getHeaderValues(ack, 'Via'), ['SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-test-1'], 'a single Via: the top one');
  assert.equal(getHeader(ack, 'To'), getHeader(busy, 'To'));
  assert.match(getHeader(ack, 'To') ?? '', /tag=callee-tag/);
  assert.equal(getHeader(ack, 'From'), getHeader(invite, 'From'));
  assert.equal(getHeader(ack, 'Call-ID'), getHeader(invite, 'Call-ID'));
  assert.equal(getHeader(ack, 'CSeq'), '17 ACK');
  assert.deepEqual(getHeaderValues(ack, 'Route'), ['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>']);
  assert.deepEqual(transport.sent.find((s) => isAck(s.message))?.destination, testDestination('udp'), 'same destination as the INVITE');
});

test('RFC 3261 §17.1.1.2: final response retransmissions in Completed resend the ACK and are not passed to the TU', () => {
  const { transport, events, request, start } = setup();
  const transaction = start();
  transaction.receiveResponse(testResponse(request, 180));
  transaction.receiveResponse(testResponse(request, 603));
  transaction.receiveResponse(testResponse(request, 603));
  transaction.receiveResponse(testResponse(request, 603));
  assert.equal(transport.requests('ACK').length, 3);
  assert.deepEqual(statuses(events), [180, 603]);
});

test('RFC 3261 §17.1.1.2: Timer D keeps Completed for 32 s on UDP', () => {
  const { clock, request, start, terminated } = setup();
  const transaction = start();
  transaction.receiveResponse(testResponse(request, 404));
  clock.advance(31_999);
  assert.equal(transaction.state, TransactionState.Completed);
  clock.advance(1);
  assert.equal(transaction.state, TransactionState.Terminated);
  assert.equal(terminated(), 1);
});

test('Timer D is zero on reliable transports: the ACK is sent and the transaction terminates at once', () => {
  const { transport, events, request, start } = setup({ protocol: 'tcp' });
  const transaction = start();
  transaction.receiveResponse(testResponse(request, 486));
  assert.equal(transport.requests('ACK').length, 1, 'the ACK is sent even on a reliable transport');
  assert.equal(transaction.state, TransactionState.Terminated);
  assert.deepEqual(statuses(events), [486]);
});

test('RFC 3261 §17.1.1.2: no Timer A on TCP; Timer B still fires at 64*T1', () => {
  const { clock, transport, events, start } = setup({ protocol: 'tls' });
  start();
  clock.advance(32_000);
  assert.deepEqual(transport.timesOf(isInvite), [0]);
  assert.equal(events[0]?.type, 'timeout');
});

test('RFC 6026 §8.4: 2xx retransmissions in Accepted go to the TU', () => {
  const { transport, events, request, start } = setup();
  const transaction = start();
  transaction.receiveResponse(testResponse(request, 180));
  transaction.receiveResponse(testResponse(request, 200, 'fork-a'));
  assert.equal(transaction.state, TransactionState.Accepted);
  transaction.receiveResponse(testResponse(request, 200, 'fork-a'));
  transaction.receiveResponse(testResponse(request, 200, 'fork-b'));
  transaction.receiveResponse(testResponse(request, 486));
  assert.deepEqual(statuses(events), [180, 200, 200, 200], 'every 2xx reaches the TU, the late 486 does not');
  assert.equal(transport.requests('ACK').length, 0, 'the transaction never ACKs a 2xx');
});

test('RFC 6026 §8.4: Timer M ends Accepted after 64*T1, on UDP and on TCP', () => {
  for (const protocol of ['udp', 'tcp'] as const) {
    const { clock, request, start, terminated } = setup({ protocol });
    const transaction = start();
    clock.advance(1_000);
    transaction.receiveResponse(testResponse(request, 200));
    clock.advance(31_999);
    assert.equal(transaction.state, TransactionState.Accepted, protocol);
    clock.advance(1);
    assert.equal(transaction.state, TransactionState.Terminated, protocol);
    assert.equal(terminated(), 1);
  }
});

test('RFC 3261 §17.1.1.2: a 2xx stops Timer A and Timer B', () => {
  const { clock, transport, events, request, start } = setup();
  const transaction = start();
  transaction.receiveResponse(testResponse(request, 200));
  clock.advance(31_000);
  assert.deepEqual(transport.timesOf(isInvite), [0]);
  assert.deepEqual(statuses(events), [200]);
});

test('custom T1: Timer A at 200, 600, 1400 ms and Timer B at 64*T1 = 12800 ms', () => {
  const { clock, transport, events, start } = setup({ timerConfig: createTimerConfig({ t1Ms: 200 }) });
  start();
  clock.advance(12_799);
  assert.deepEqual(transport.timesOf(isInvite), [0, 200, 600, 1400, 3000, 6200, 12600]);
  assert.equal(events.length, 0);
  clock.advance(1);
  assert.equal(events[0]?.type, 'timeout');
});

test('custom T1: Timer M is 64*T1 too', () => {
  const { clock, request, start } = setup({ timerConfig: createTimerConfig({ t1Ms: 100 }) });
  const transaction = start();
  transaction.receiveResponse(testResponse(request, 200));
  clock.advance(6_399);
  assert.equal(transaction.state, TransactionState.Accepted);
  clock.advance(1);
  assert.equal(transaction.state, TransactionState.Terminated);
});

test('RFC 3261 §17.1.4: a transport error in Calling is reported as 503 and terminates', async () => {
  const { clock, transport, events, start } = setup();
  transport.failWhen = isInvite;
  const transaction = start();
  await settle();
  assert.deepEqual(statuses(events), ['transport-error']);
  assert.equal(transaction.state, TransactionState.Terminated);
  clock.advance(40_000);
  assert.equal(transport.sent.length, 1);
});

test('RFC 3261 §17.1.4: a transport error sending the ACK in Completed informs the TU and terminates', async () => {
  const { transport, events, request, start } = setup();
  transport.failWhen = isAck;
  const transaction = start();
  transaction.receiveResponse(testResponse(request, 500));
  await settle();
  assert.deepEqual(statuses(events), [500, 'transport-error']);
  assert.equal(transaction.state, TransactionState.Terminated);
});

test('RFC 3261 §18.1.1: an INVITE the transport moved to TCP is not retransmitted', async () => {
  const { clock, transport, start } = setup();
  transport.reportProtocol = 'tcp';
  start();
  await settle();
  clock.advance(5_000);
  assert.equal(transport.sent.length, 1);
});

test('an INVITE client transaction only carries INVITE', () => {
  const clock = new FakeClock();
  assert.throws(
    () =>
      new InviteClientTransaction({
        id: 'x',
        request: testRequest({ method: 'BYE' }),
        destination: testDestination(),
        transport: new RecordingTransport(clock),
        clock,
        onEvent: () => {},
      }),
    TypeError,
  );
});
