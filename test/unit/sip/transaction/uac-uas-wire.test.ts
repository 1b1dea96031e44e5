/**
 * Two transaction layers (a UAC and a UAS) joined by an in-memory "wire"
 * that serializes and re-parses every message, with a UDP-like loss switch:
 * checks that what the client side builds (INVITE, its ACK) is what the
 * server side's RFC 3261 §17.2.3 matching expects, end to end.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../../../test/support/fake-clock.ts';
import { settle } from '../../../../test/support/recording-transport.ts';
import { testRequest } from '../../../../test/support/transaction-messages.ts';
import { createResponse } from '../../../../firmware/sip/message/build.ts';
import { parseMessage } from '../../../../firmware/sip/message/parser.ts';
import { serializeMessage } from '../../../../firmware/sip/message/serializer.ts';
import type { SipMessage } from '../../../../firmware/sip/message/types.ts';
import { addTopVia } from '../../../../firmware/sip/transaction/add-top-via.ts';
import { TransactionLayer, type TransactionUserEvent } from '../../../../firmware/sip/transaction/transaction-layer.ts';
import { TransactionState } from '../../../../firmware/sip/transaction/transaction-state.ts';
import type { ClientTransactionEvent, TransactionTransport } from '../../../../firmware/sip/transaction/types.ts';
import type { Destination, SendResult } from '../../../../firmware/sip/transport/types.ts';

const UAC = { address: '192.0.2.1', port: 5060 };
const UAS = { address: '192.0.2.2', port: 5060 };

/** Delivers to the peer layer after a serialize/parse round trip; drops the first `dropCount` messages that match `drop`. */
class Wire implements TransactionTransport {
  peer: TransactionLayer | undefined;
  readonly log: string[] = [];
  drop: ((message: SipMessage) => boolean) | undefined;
  dropCount = 0;

  constructor(private readonly from: { address: string; port: number }) {}

  send(message: SipMessage, destination: Destination): Promise<SendResult> {
    const label = message.kind === 'request' ? message.method : String(message.status);
    if (this.drop?.(message) && this.dropCount > 0) {
      this.dropCount--;
      this.log.push(`${label} (lost)`);
      return Promise.resolve({ protocol: destination.protocol });
    }
    this.log.push(label);
    const parsed = parseMessage(serializeMessage(message));
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.reason);
    const source = { protocol: destination.protocol, ...this.from, localAddress: destination.address, localPort: destination.port };
    this.peer?.receive({ message: parsed.message, source, raw: Buffer.alloc(0) });
    return Promise.resolve({ protocol: destination.protocol });
  }
}

function pair() {
  const clock = new FakeClock();
  const uacWire = new Wire(UAC);
  const uasWire = new Wire(UAS);
  const uasEvents: TransactionUserEvent[] = [];
  const uac = new TransactionLayer({ transport: uacWire, clock, onEvent: () => {} });
  const uas = new TransactionLayer({ transport: uasWire, clock, onEvent: (event) => uasEvents.push(event) });
  uacWire.peer = uas;
  uasWire.peer = uac;
  return { clock, uac, uas, uacWire, uasWire, uasEvents };
}

function invite() {
  const request = testRequest({ method: 'INVITE' });
  request.headers = request.headers.filter((h) => h.name !== 'Via');
  addTopVia(request, { transport: 'udp', host: UAC.address, port: UAC.port });
  return request;
}

test('RFC 3261 §17.1.1.3 + §17.2.3: a lost INVITE is retransmitted, the 486 is ACKed, and the ACK confirms the server transaction', async () => {
  const { clock, uac, uacWire, uasWire, uasEvents } = pair();
  uacWire.drop = (m) => m.kind === 'request' && m.method === 'INVITE';
  uacWire.dropCount = 1;
  const clientEvents: ClientTransactionEvent[] = [];
  const ict = uac.sendRequest(invite(), { protocol: 'udp', ...UAS }, { onEvent: (e) => clientEvents.push(e) });
  clock.advance(500); // Timer A: the retransmission gets through
  assert.equal(uasEvents.length, 1);
  const event = uasEvents[0];
  assert.ok(event?.type === 'request');
  clock.advance(200); // UAS TU silent: 100 Trying
  event.transaction.respond(createResponse(event.request, 486, undefined, { toTag: 'busy' }));
  await settle();
  assert.deepEqual(uacWire.log, ['INVITE (lost)', 'INVITE', 'ACK']);
  assert.deepEqual(uasWire.log, ['100', '486']);
  assert.equal(ict.state, TransactionState.Completed);
  assert.equal(event.transaction.state, TransactionState.Confirmed, 'the ICT-built ACK matched the IST');
  assert.deepEqual(clientEvents.map((e) => (e.type === 'response' ? e.response.status : e.type)), [100, 486]);
  assert.deepEqual(uasEvents.map((e) => e.type), ['request'], 'the non-2xx ACK stays inside the transaction layer');
});

test('RFC 3261 §17.2.1: a lost 486 is retransmitted by Timer G and the client ACKs the retransmission', async () => {
  const { clock, uac, uasWire, uacWire, uasEvents } = pair();
  uasWire.drop = (m) => m.kind === 'response' && m.status === 486;
  uasWire.dropCount = 1;
  const ict = uac.sendRequest(invite(), { protocol: 'udp', ...UAS }, { onEvent: () => {} });
  const event = uasEvents[0];
  assert.ok(event?.type === 'request');
  event.transaction.respond(createResponse(event.request, 486, undefined, { toTag: 'busy' }));
  clock.advance(499);
  assert.equal(ict.state, TransactionState.Calling);
  clock.advance(1); // Timer A (client) and Timer G (server) both fire at 500 ms
  await settle();
  assert.equal(ict.state, TransactionState.Completed);
  assert.equal(event.transaction.state, TransactionState.Confirmed);
  assert.deepEqual(uasWire.log.slice(0, 2), ['486 (lost)', '486']);
  assert.ok(uacWire.log.includes('ACK'));
});

test('RFC 6026: a 2xx puts both sides in Accepted; the UAS TU\'s 2xx retransmission reaches the UAC TU; Timers L and M end both', () => {
  const { clock, uac, uasEvents } = pair();
  const clientEvents: ClientTransactionEvent[] = [];
  const ict = uac.sendRequest(invite(), { protocol: 'udp', ...UAS }, { onEvent: (e) => clientEvents.push(e) });
  const event = uasEvents[0];
  assert.ok(event?.type === 'request');
  const ok = createResponse(event.request, 200, undefined, { toTag: 'yes' });
  event.transaction.respond(ok);
  clock.advance(500);
  event.transaction.respond(ok);
  assert.equal(ict.state, TransactionState.Accepted);
  assert.equal(event.transaction.state, TransactionState.Accepted);
  assert.deepEqual(clientEvents.map((e) => (e.type === 'response' ? e.response.status : e.type)), [200, 200]);
  clock.advance(32_000);
  assert.equal(ict.state, TransactionState.Terminated);
  assert.equal(event.transaction.state, TransactionState.Terminated);
});
