import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../../../test/support/fake-clock.ts';
import { RecordingTransport, settle } from '../../../../test/support/recording-transport.ts';
import { incoming, testDestination, testRequest, testResponse, testSource } from '../../../../test/support/transaction-messages.ts';
import { createResponse } from '../../../../firmware/sip/message/build.ts';
import { topVia } from '../../../../firmware/sip/message/header-values.ts';
import { getHeaderValues } from '../../../../firmware/sip/message/headers.ts';
import { addTopVia } from '../../../../firmware/sip/transaction/add-top-via.ts';
import { InviteClientTransaction } from '../../../../firmware/sip/transaction/invite-client-transaction.ts';
import { InviteServerTransaction } from '../../../../firmware/sip/transaction/invite-server-transaction.ts';
import { NonInviteClientTransaction } from '../../../../firmware/sip/transaction/non-invite-client-transaction.ts';
import { NonInviteServerTransaction } from '../../../../firmware/sip/transaction/non-invite-server-transaction.ts';
import { TransactionLayer, type TransactionUserEvent } from '../../../../firmware/sip/transaction/transaction-layer.ts';
import { TransactionState } from '../../../../firmware/sip/transaction/transaction-state.ts';
import type { ClientTransactionEvent } from '../../../../firmware/sip/transaction/types.ts';
import type { SipRequest } from '../../../../firmware/sip/message/types.ts';
import { createLogger, MemorySink } from '../../../../firmware/log/logger.ts';

function setup(timers?: { t1Ms?: number }) {
  const clock = new FakeClock();
  const transport = new RecordingTransport(clock);
  const events: TransactionUserEvent[] = [];
  const layer = new TransactionLayer({ transport, clock, ...(timers ? { timers } : {}), onEvent: (event) => events.push(event) });
  return { clock, transport, events, layer };
}

/** A request as the TU builds it: no Via until addTopVia. */
function outgoing(method: string): SipRequest {
  const request = testRequest({ method });
  request.headers = request.headers.filter((h) => h.name !== 'Via');
  return request;
}

function recorder(): { events: ClientTransactionEvent[]; onEvent: (event: ClientTransactionEvent) => void } {
  const events: ClientTransactionEvent[] = [];
  return { events, onEvent: (event) => events.push(event) };
}

const types = (events: TransactionUserEvent[]): string[] => events.map((e) => e.type);

test('addTopVia: RFC 3261 §8.1.1.7 branch with the magic cookie, RFC 3581 rport, new Via on top', () => {
  const request = testRequest({ method: 'OPTIONS' });
  const branch = addTopVia(request, { transport: 'udp', host: '192.0.2.10', port: 5062 });
  assert.match(branch, /^z9hG4bK[0-9a-f]{24}$/);
  const via = topVia(request);
  assert.equal(via.transport, 'UDP');
  assert.equal(via.host, '192.0.2.10');
  assert.equal(via.port, 5062);
  assert.equal(via.params.get('branch'), branch);
  assert.ok(via.params.has('rport'));
  assert.equal(getHeaderValues(request, 'Via').length, 2);
  assert.notEqual(addTopVia(testRequest(), { transport: 'tcp', host: 'h' }), branch, 'each call draws a new branch');
  const v6 = testRequest();
  addTopVia(v6, { transport: 'tls', host: '2001:db8::5', port: 5061, rport: false });
  assert.equal(topVia(v6).host, '[2001:db8::5]');
  assert.equal(topVia(v6).params.has('rport'), false);
});

test('sendRequest creates an ICT for INVITE and an NICT otherwise, sends the request as given', () => {
  const { transport, layer } = setup();
  const invite = outgoing('INVITE');
  addTopVia(invite, { transport: 'udp', host: '192.0.2.10', port: 5060 });
  const register = outgoing('REGISTER');
  addTopVia(register, { transport: 'udp', host: '192.0.2.10', port: 5060 });
  assert.ok(layer.sendRequest(invite, testDestination(), recorder()) instanceof InviteClientTransaction);
  assert.ok(layer.sendRequest(register, testDestination(), recorder()) instanceof NonInviteClientTransaction);
  assert.equal(transport.sent[0]?.message, invite);
  assert.equal(layer.clientTransactionCount, 2);
});

test('sendRequest refuses an ACK, a missing or RFC 2543 branch, and a branch + method already in use', () => {
  const { layer } = setup();
  assert.throws(() => layer.sendRequest(testRequest({ method: 'ACK' }), testDestination(), recorder()), /sendAck/);
  assert.throws(() => layer.sendRequest(testRequest({ branch: 'legacy-1' }), testDestination(), recorder()), /z9hG4bK/);
  const request = testRequest({ method: 'OPTIONS', branch: 'z9hG4bK-dup' });
  layer.sendRequest(request, testDestination(), recorder());
  assert.throws(() => layer.sendRequest(testRequest({ method: 'OPTIONS', branch: 'z9hG4bK-dup' }), testDestination(), recorder()), /already exists/);
});

test('RFC 3261 §17.1.3: responses match by top Via branch and CSeq method (INVITE and CANCEL share a branch)', () => {
  const { layer } = setup();
  const invite = testRequest({ method: 'INVITE', branch: 'z9hG4bK-shared' });
  const cancel = testRequest({ method: 'CANCEL', branch: 'z9hG4bK-shared' });
  const inviteUser = recorder();
  const cancelUser = recorder();
  layer.sendRequest(invite, testDestination(), inviteUser);
  layer.sendRequest(cancel, testDestination(), cancelUser);
  layer.receive(incoming(testResponse(cancel, 200)));
  layer.receive(incoming(testResponse(invite, 487)));
  assert.deepEqual(cancelUser.events.map((e) => (e.type === 'response' ? `${e.response.status}` : e.type)), ['200']);
  assert.deepEqual(inviteUser.events.map((e) => (e.type === 'response' ? `${e.response.status}` : e.type)), ['487']);
});

test('RFC 3261 §17.1.3: a response with no matching client transaction goes to the TU as stray', () => {
  const { events, layer } = setup();
  layer.receive(incoming(testResponse(testRequest({ branch: 'z9hG4bK-unknown' }), 200)));
  assert.deepEqual(types(events), ['stray-response']);
});

test('RFC 6026 §8.4: after Timer M the ICT is gone and a late 2xx retransmission reaches the TU as stray', () => {
  const { clock, events, layer } = setup();
  const invite = testRequest({ method: 'INVITE', branch: 'z9hG4bK-m' });
  const user = recorder();
  layer.sendRequest(invite, testDestination(), user);
  layer.receive(incoming(testResponse(invite, 200)));
  layer.receive(incoming(testResponse(invite, 200)));
  assert.equal(user.events.length, 2);
  clock.advance(32_000);
  assert.equal(layer.clientTransactionCount, 0);
  layer.receive(incoming(testResponse(invite, 200)));
  assert.equal(user.events.length, 2);
  assert.deepEqual(types(events), ['stray-response']);
});

test('client transaction timeouts and transport errors reach the handlers passed to sendRequest', async () => {
  const { clock, transport, layer } = setup();
  const timedOut = recorder();
  layer.sendRequest(testRequest({ method: 'OPTIONS', branch: 'z9hG4bK-t' }), testDestination(), timedOut);
  clock.advance(32_000);
  assert.deepEqual(timedOut.events.map((e) => e.type), ['timeout']);
  transport.failWhen = () => true;
  const failed = recorder();
  layer.sendRequest(testRequest({ method: 'OPTIONS', branch: 'z9hG4bK-f' }), testDestination(), failed);
  await settle();
  assert.deepEqual(failed.events.map((e) => e.type), ['transport-error']);
  assert.equal(layer.clientTransactionCount, 0);
});

test('a new INVITE creates an INVITE server transaction and reaches the TU, which answers on it', () => {
  const { transport, events, layer } = setup();
  const invite = testRequest({ method: 'INVITE', branch: 'z9hG4bK-in' });
  layer.receive(incoming(invite));
  assert.deepEqual(types(events), ['request']);
  const event = events[0];
  assert.ok(event?.type === 'request' && event.transaction instanceof InviteServerTransaction);
  event.transaction.respond(createResponse(invite, 180, undefined, { toTag: 'uas' }));
  assert.deepEqual(transport.responses().map((r) => r.status), [180]);
  assert.equal(layer.serverTransactionCount, 1);
});

test('RFC 3261 §17.2.3: a retransmitted request is absorbed by its transaction, which resends the last response', () => {
  const { transport, events, layer } = setup();
  const bye = testRequest({ method: 'BYE', branch: 'z9hG4bK-bye', toTag: 'x' });
  layer.receive(incoming(bye));
  const event = events[0];
  assert.ok(event?.type === 'request');
  event.transaction.respond(createResponse(bye, 200));
  layer.receive(incoming(testRequest({ method: 'BYE', branch: 'z9hG4bK-bye', toTag: 'x' })));
  layer.receive(incoming(testRequest({ method: 'BYE', branch: 'z9hG4bK-bye', toTag: 'x' })));
  assert.equal(events.length, 1, 'the TU sees the request once');
  assert.deepEqual(transport.responses().map((r) => r.status), [200, 200, 200]);
});

test('RFC 3261 §17.2.3: ACK for non-2xx matches the INVITE server transaction', () => {
  const { events, layer } = setup();
  const invite = testRequest({ method: 'INVITE', branch: 'z9hG4bK-nack' });
  layer.receive(incoming(invite));
  const event = events[0];
  assert.ok(event?.type === 'request' && event.transaction instanceof InviteServerTransaction);
  event.transaction.respond(createResponse(invite, 486, undefined, { toTag: 'busy' }));
  layer.receive(incoming(testRequest({ method: 'ACK', cseqMethod: 'ACK', branch: 'z9hG4bK-nack', toTag: 'busy' })));
  assert.equal(event.transaction.state, TransactionState.Confirmed);
  assert.deepEqual(types(events), ['request'], 'the ACK is not passed to the TU');
});

test('RFC 3261 §17.2.3: the sent-by of the top Via is part of the match', () => {
  const { events, layer } = setup();
  layer.receive(incoming(testRequest({ method: 'OPTIONS', via: 'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-sb' })));
  layer.receive(incoming(testRequest({ method: 'OPTIONS', via: 'SIP/2.0/UDP 192.0.2.77:5060;branch=z9hG4bK-sb', callId: 'other' })));
  assert.deepEqual(types(events), ['request', 'request']);
});

test('RFC 3261 §13.3.1.4: the ACK for a 2xx (new branch) matches no transaction and goes to the TU', () => {
  const { events, layer } = setup();
  const invite = testRequest({ method: 'INVITE', branch: 'z9hG4bK-inv2' });
  layer.receive(incoming(invite));
  const event = events[0];
  assert.ok(event?.type === 'request');
  event.transaction.respond(createResponse(invite, 200, undefined, { toTag: 'ok' }));
  const ack = testRequest({ method: 'ACK', cseqMethod: 'ACK', branch: 'z9hG4bK-ack2', toTag: 'ok' });
  layer.receive(incoming(ack));
  assert.deepEqual(types(events), ['request', 'ack']);
  const ackEvent = events[1];
  assert.ok(ackEvent?.type === 'ack');
  assert.equal(ackEvent.request, ack);
  assert.equal(ackEvent.inviteTransaction, undefined);
});

test('RFC 6026 §7.1: an ACK that matches an INVITE server transaction in Accepted reaches the TU with it', () => {
  const { events, layer } = setup();
  const invite = testRequest({ method: 'INVITE', branch: 'z9hG4bK-acc' });
  layer.receive(incoming(invite));
  const event = events[0];
  assert.ok(event?.type === 'request');
  event.transaction.respond(createResponse(invite, 200, undefined, { toTag: 'ok' }));
  layer.receive(incoming(testRequest({ method: 'ACK', cseqMethod: 'ACK', branch: 'z9hG4bK-acc', toTag: 'ok' })));
  const ackEvent = events[1];
  assert.ok(ackEvent?.type === 'ack');
  assert.equal(ackEvent.inviteTransaction, event.transaction);
});

test('RFC 3261 §9.2: a CANCEL gets its own server transaction and names the INVITE transaction it targets', () => {
  const { events, layer } = setup();
  const invite = testRequest({ method: 'INVITE', branch: 'z9hG4bK-c' });
  layer.receive(incoming(invite));
  layer.receive(incoming(testRequest({ method: 'CANCEL', branch: 'z9hG4bK-c' })));
  assert.deepEqual(types(events), ['request', 'cancel']);
  const inviteEvent = events[0];
  const cancelEvent = events[1];
  assert.ok(inviteEvent?.type === 'request' && cancelEvent?.type === 'cancel');
  assert.ok(cancelEvent.transaction instanceof NonInviteServerTransaction);
  assert.equal(cancelEvent.inviteTransaction, inviteEvent.transaction);
  assert.equal(inviteEvent.transaction.state, TransactionState.Proceeding, 'the INVITE transaction is untouched');
  assert.equal(layer.serverTransactionCount, 2);
});

test('RFC 3261 §9.2: a CANCEL that matches no INVITE comes without a target (the TU answers 481)', () => {
  const { events, layer } = setup();
  layer.receive(incoming(testRequest({ method: 'CANCEL', branch: 'z9hG4bK-lonely' })));
  const event = events[0];
  assert.ok(event?.type === 'cancel');
  assert.equal(event.inviteTransaction, undefined);
});

test('RFC 3261 §8.2.2.2: merged request answered 482', () => {
  const { transport, events, layer } = setup();
  layer.receive(incoming(testRequest({ method: 'INVITE', branch: 'z9hG4bK-path-a' })));
  // The same INVITE (From tag, Call-ID, CSeq), forked back to us through another proxy.
  const pathB = 'SIP/2.0/UDP 192.0.2.99:5060;branch=z9hG4bK-path-b';
  layer.receive(incoming(testRequest({ method: 'INVITE', via: pathB }), testSource('udp', { address: '192.0.2.99' })));
  assert.deepEqual(types(events), ['request'], 'the merged copy never reaches the TU');
  const [loop] = transport.responses(482);
  assert.ok(loop);
  assert.equal(loop.reason, 'Loop Detected');
  assert.equal(transport.sent.find((s) => s.message === loop)?.destination.address, '192.0.2.99');
  // Its retransmission is absorbed by the 482's own transaction (which resends the 482).
  layer.receive(incoming(testRequest({ method: 'INVITE', via: pathB }), testSource('udp', { address: '192.0.2.99' })));
  assert.equal(transport.responses(482).length, 2);
  assert.equal(events.length, 1);
});

test('RFC 3261 §8.2.2.2: a request with a To tag, or a different CSeq, is not a merged request', () => {
  const { events, layer } = setup();
  layer.receive(incoming(testRequest({ method: 'INFO', branch: 'z9hG4bK-1', toTag: 't' })));
  layer.receive(incoming(testRequest({ method: 'INFO', branch: 'z9hG4bK-2', toTag: 't' })));
  layer.receive(incoming(testRequest({ method: 'OPTIONS', branch: 'z9hG4bK-3', cseq: 5 })));
  layer.receive(incoming(testRequest({ method: 'OPTIONS', branch: 'z9hG4bK-4', cseq: 6 })));
  assert.deepEqual(types(events), ['request', 'request', 'request', 'request']);
});

test('RFC 3261 §8.2.2.2: once the first transaction has terminated the same request is new again', () => {
  const { clock, events, layer } = setup();
  const options = testRequest({ method: 'OPTIONS', branch: 'z9hG4bK-o1' });
  layer.receive(incoming(options, testSource('tcp')));
  const event = events[0];
  assert.ok(event?.type === 'request');
  event.transaction.respond(createResponse(options, 200));
  clock.advance(0);
  assert.equal(layer.serverTransactionCount, 0, 'Timer J = 0 on TCP');
  layer.receive(incoming(testRequest({ method: 'OPTIONS', branch: 'z9hG4bK-o2' }), testSource('tcp')));
  assert.deepEqual(types(events), ['request', 'request']);
});

test('RFC 3261 §17.2.3: RFC 2543 fallback matching when the branch lacks the magic cookie', () => {
  const { transport, events, layer } = setup();
  const legacyVia = 'SIP/2.0/UDP 192.0.2.50:5060';
  const invite = testRequest({ method: 'INVITE', via: legacyVia, callId: 'legacy@192.0.2.50' });
  layer.receive(incoming(invite));
  // A retransmission (same Request-URI, tags, Call-ID, CSeq, top Via) matches.
  layer.receive(incoming(testRequest({ method: 'INVITE', via: legacyVia, callId: 'legacy@192.0.2.50' })));
  assert.deepEqual(types(events), ['request']);
  const event = events[0];
  assert.ok(event?.type === 'request' && event.transaction instanceof InviteServerTransaction);
  event.transaction.respond(createResponse(invite, 404, undefined, { toTag: 'nf' }));
  // An ACK whose To tag is not the one of our 404 does not match...
  layer.receive(incoming(testRequest({ method: 'ACK', cseqMethod: 'ACK', via: legacyVia, callId: 'legacy@192.0.2.50', toTag: 'other' })));
  assert.equal(event.transaction.state, TransactionState.Completed);
  assert.deepEqual(types(events), ['request', 'ack']);
  // ...the ACK with the 404's To tag does.
  layer.receive(incoming(testRequest({ method: 'ACK', cseqMethod: 'ACK', via: legacyVia, callId: 'legacy@192.0.2.50', toTag: 'nf' })));
  assert.equal(event.transaction.state, TransactionState.Confirmed);
  assert.equal(transport.responses(404).length, 1);
});

test('RFC 3261 §18.2.2 / RFC 3581 §4: server responses go to received:rport on UDP and reuse the connection on TCP', () => {
  const { transport, events, layer } = setup();
  const udp = testRequest({ method: 'OPTIONS', via: 'SIP/2.0/UDP 10.0.0.5:5060;rport=40000;received=203.0.113.7;branch=z9hG4bK-nat' });
  layer.receive(incoming(udp, testSource('udp', { address: '203.0.113.7', port: 40000 })));
  const tcp = testRequest({ method: 'OPTIONS', viaTransport: 'TCP', branch: 'z9hG4bK-tcp', callId: 'c-tcp' });
  layer.receive(incoming(tcp, testSource('tcp', { port: 50001, connectionId: 'conn-42' })));
  for (const event of events) if (event.type === 'request') event.transaction.respond(createResponse(event.request, 200));
  assert.deepEqual(transport.sent[0]?.destination, { protocol: 'udp', address: '203.0.113.7', port: 40000 });
  assert.equal(transport.sent[1]?.destination.connectionId, 'conn-42');
  assert.equal(transport.sent[1]?.destination.protocol, 'tcp');
});

test('RFC 3261 §17.2.1: Timer H reaches the TU as server-timeout and the transaction leaves the table', () => {
  const { clock, events, layer } = setup({ t1Ms: 100 });
  const invite = testRequest({ method: 'INVITE', branch: 'z9hG4bK-h' });
  layer.receive(incoming(invite));
  const event = events[0];
  assert.ok(event?.type === 'request');
  event.transaction.respond(createResponse(invite, 480, undefined, { toTag: 'a' }));
  clock.advance(6_400);
  assert.deepEqual(types(events), ['request', 'server-timeout']);
  assert.equal(layer.serverTransactionCount, 0);
});

test('RFC 3261 §17.2.1: the layer\'s INVITE server transactions send 100 Trying after 200 ms', () => {
  const { clock, transport, layer } = setup();
  layer.receive(incoming(testRequest({ method: 'INVITE', branch: 'z9hG4bK-100' })));
  clock.advance(200);
  assert.deepEqual(transport.responses().map((r) => r.status), [100]);
});

test('a message without the headers matching needs is dropped, not thrown', () => {
  const { events, layer } = setup();
  const broken = testRequest({ method: 'OPTIONS' });
  broken.headers = broken.headers.filter((h) => h.name !== 'CSeq' && h.name !== 'Via');
  assert.doesNotThrow(() => layer.receive(incoming(broken)));
  assert.equal(events.length, 0);
});

test('sendAck sends an ACK without a transaction; dispose terminates everything', async () => {
  const { transport, layer } = setup();
  const outcome = await layer.sendAck(testRequest({ method: 'ACK', cseqMethod: 'ACK', branch: 'z9hG4bK-a' }), testDestination());
  assert.equal(outcome.ok, true);
  assert.equal(layer.clientTransactionCount, 0);
  assert.equal(transport.requests('ACK').length, 1);
  assert.throws(() => layer.sendAck(testRequest({ method: 'BYE' }), testDestination()), TypeError);
  layer.sendRequest(testRequest({ method: 'INVITE', branch: 'z9hG4bK-d' }), testDestination(), recorder());
  layer.receive(incoming(testRequest({ method: 'INVITE', branch: 'z9hG4bK-e' })));
  layer.dispose();
  assert.equal(layer.clientTransactionCount, 0);
  assert.equal(layer.serverTransactionCount, 0);
});

test('logging: each transaction kind logs under sip.transaction.ict|nict|ist|nist', () => {
  const clock = new FakeClock();
  const sink = new MemorySink();
  const logger = createLogger('sip.transaction', { sink, level: 'debug', nowMs: () => clock.nowMs() });
  const layer = new TransactionLayer({ transport: new RecordingTransport(clock), clock, logger, onEvent: () => {} });
  layer.sendRequest(testRequest({ method: 'INVITE', branch: 'z9hG4bK-l1' }), testDestination(), recorder());
  layer.sendRequest(testRequest({ method: 'OPTIONS', branch: 'z9hG4bK-l2' }), testDestination(), recorder());
  layer.receive(incoming(testRequest({ method: 'INVITE', branch: 'z9hG4bK-l3' })));
  layer.receive(incoming(testRequest({ method: 'BYE', branch: 'z9hG4bK-l4', toTag: 'x' })));
  const categories = new Set(sink.records.map((r) => r.category));
  for (const kind of ['ict', 'nict', 'ist', 'nist']) assert.ok(categories.has(`sip.transaction.${kind}`), kind);
});
