/**
 * The SIP stack of one phone: transport, transaction layer, server location
 * and the out-of-dialog sender, wired together. Requests no higher layer
 * claims get the UA's default answers (`uas-defaults.ts`).
 */
import { readFile } from 'node:fs/promises';
import type { Clock } from '../../core/clock.ts';
import { silentLogger, type Logger } from '../../log/logger.ts';
import { DestinationBlacklist } from '../resolver/destination-blacklist.ts';
import { Rfc3263Resolver } from '../resolver/rfc3263-resolver.ts';
import { TransactionLayer, type ServerTransaction, type TransactionUserEvent } from '../transaction/transaction-layer.ts';
import { TransportLayer } from '../transport/transport-layer.ts';
import type { Destination, Source, TransportProtocol } from '../transport/types.ts';
import { OutOfDialogSender } from './out-of-dialog-sender.ts';
import { defaultResponse } from './uas-defaults.ts';
import type { SipRequest } from '../message/types.ts';
import { createResponse } from '../message/build.ts';

export interface SipStackOptions {
  /** Local address for listeners (`0.0.0.0`, `::`, `127.0.0.1`). */
  readonly listenAddress: string;
  /** null: no UDP listener. */
  readonly udpPort: number | null;
  readonly tcpPort: number | null;
  readonly tls: { readonly caFile?: string | undefined; readonly verifyServer: boolean };
  readonly timers: { readonly t1Ms: number; readonly t2Ms: number; readonly t4Ms: number };
  readonly dnsServers: readonly string[];
  readonly userAgent: string;
  readonly clock: Clock;
  readonly logger?: Logger;
}

/** Takes a new incoming request, or returns false to leave it to the defaults. */
export type RequestHandler = (request: SipRequest, transaction: ServerTransaction, source: Source) => boolean;

export class SipStack {
  readonly transport: TransportLayer;
  readonly transactions: TransactionLayer;
  readonly resolver: Rfc3263Resolver;
  readonly sender: OutOfDialogSender;
  private readonly handlers: RequestHandler[] = [];
  private readonly probedAddresses = new Set<string>();
  private readonly logger: Logger;

  private constructor(
    private readonly options: SipStackOptions,
    tlsCa: string | undefined,
  ) {
    this.logger = options.logger ?? silentLogger;
    const listen = (port: number | null) => (port === null ? [] : [{ address: options.listenAddress, port }]);
    this.transport = new TransportLayer({
      udp: listen(options.udpPort),
      tcp: listen(options.tcpPort),
      tls: { verifyServer: options.tls.verifyServer, ...(tlsCa !== undefined ? { ca: tlsCa } : {}) },
      clock: options.clock,
      logger: this.logger.child('transport'),
    });
    this.transactions = new TransactionLayer({
      transport: this.transport,
      clock: options.clock,
      timers: options.timers,
      logger: this.logger.child('transaction'),
      onEvent: (event) => this.onTransactionUserEvent(event),
    });
    this.resolver = new Rfc3263Resolver({
      servers: options.dnsServers,
      clock: options.clock,
      logger: this.logger.child('resolver'),
      protocols: ['udp', 'tcp', 'tls'],
    });
    this.sender = new OutOfDialogSender({
      resolve: (uri) => this.resolver.resolve(uri),
      localAddressFor: (protocol, destination) => this.localAddressFor(protocol, destination),
      sendRequest: (request, destination, handlers) => {
        this.transactions.sendRequest(request, destination, handlers);
      },
      blacklist: new DestinationBlacklist({ clock: options.clock }),
      logger: this.logger.child('ua'),
    });
    this.transport.onMessage((incoming) => {
      if (incoming.message.kind === 'response') this.transport.learnFromResponse(incoming);
      this.transactions.receive(incoming);
    });
  }

  /** Builds the stack and binds its listeners; rejects naming the port when one is in use. */
  static async start(options: SipStackOptions): Promise<SipStack> {
    let ca: string | undefined;
    if (options.tls.caFile !== undefined) {
      try {
        ca = await readFile(options.tls.caFile, 'utf8');
      } catch (error) {
        throw new Error(`sip.tls.caFile ${options.tls.caFile} cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      }
    }
    const stack = new SipStack(options, ca);
    try {
      await stack.transport.start();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const where = `${options.listenAddress} (UDP ${options.udpPort ?? 'off'}, TCP ${options.tcpPort ?? 'off'})`;
      throw new Error(
        code === 'EADDRINUSE' ? `SIP port already in use on ${where}: another SIP program is running, or set sip.udpPort / sip.tcpPort`
          : code === 'EACCES' ? `not allowed to listen on ${where}: ports below 1024 need privileges`
            : `cannot listen for SIP on ${where}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return stack;
  }

  /** Lets a higher layer (calls, presence...) take new requests before the defaults do. */
  addRequestHandler(handler: RequestHandler): void {
    this.handlers.push(handler);
  }

  listeningEndpoints(): { protocol: TransportProtocol; address: string; port: number }[] {
    return (['udp', 'tcp', 'tls'] as const).flatMap((protocol) =>
      this.transport.listeningAddresses(protocol).map((a) => ({ protocol, address: a.host, port: a.port })),
    );
  }

  async stop(): Promise<void> {
    this.transactions.dispose();
    this.resolver.close();
    await this.transport.stop();
  }

  /** Asks the kernel for the route toward each server once; later requests reuse the answer. */
  private async localAddressFor(protocol: TransportProtocol, destination: Destination) {
    if (this.probedAddresses.has(destination.address)) return this.transport.localAddressFor(protocol, destination);
    const local = await this.transport.probeLocalAddress(protocol, destination);
    this.probedAddresses.add(destination.address);
    return local;
  }

  private onTransactionUserEvent(event: TransactionUserEvent): void {
    switch (event.type) {
      case 'request': {
        for (const handler of this.handlers) if (handler(event.request, event.transaction, event.source)) return;
        const response = defaultResponse(event.request, { userAgent: this.options.userAgent });
        if (response) event.transaction.respond(response);
        return;
      }
      case 'cancel':
        /**
         * RFC 3261 §9.2: a CANCEL matching a transaction is answered 200 (the
         * INVITE itself was already answered by the defaults); one matching
         * nothing gets 481.
         */
        event.transaction.respond(createResponse(event.request, event.inviteTransaction ? 200 : 481));
        return;
      default:
        this.logger.debug('transaction-user event with no taker', { event: event.type });
    }
  }
}
