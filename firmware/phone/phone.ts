/**
 * The phone core: owns the lines and emits the one `PhoneEvent` stream.
 * At this stage a line is its registration; calls join it later.
 *
 * Each registered line keeps its flow to the registrar alive (RFC 5626:
 * CRLF keep-alives) and registers again at once when that flow fails (a TCP
 * or TLS connection closed, a keep-alive unanswered) or when the registrar
 * shows us a new public address (RFC 3581).
 */
import type { AudioDriver } from '../../hal/audio/index.ts';
import type { Clock } from '../core/clock.ts';
import { TypedEmitter } from '../core/typed-emitter.ts';
import type { LineConfig, PhoneConfig } from '../config/schema.ts';
import type { Logger } from '../log/logger.ts';
import { Registration } from '../sip/register/registration.ts';
import type { KeepAliveHandle } from '../sip/transport/transport-layer.ts';
import type { Destination } from '../sip/transport/types.ts';
import { SipStack } from '../sip/ua/sip-stack.ts';
import type { PhoneEvent, RegistrationState } from './events.ts';

export interface PhoneOptions {
  readonly config: PhoneConfig;
  readonly boardName: string;
  /** The board's audio device (not opened until a call needs it). */
  readonly audio?: AudioDriver;
  readonly version: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Subscribed before anything is emitted, so it sees `sip.listening` and `phone.started` too. */
  readonly onEvent?: (event: PhoneEvent) => void;
}

interface Line {
  readonly config: LineConfig;
  readonly registration: Registration | undefined;
  keepAlive: KeepAliveHandle | undefined;
}

export class Phone {
  readonly events: TypedEmitter<PhoneEvent>;
  private readonly lines = new Map<string, Line>();
  private stopping = false;

  private constructor(
    private readonly options: PhoneOptions,
    readonly sip: SipStack,
  ) {
    this.events = new TypedEmitter<PhoneEvent>((error, event) =>
      options.logger.error('phone event listener threw', { event: event.type, error }),
    );
  }

  /** Starts the SIP stack and registers every enabled line. Rejects (nothing left running) when SIP cannot listen. */
  static async start(options: PhoneOptions): Promise<Phone> {
    const { config, clock, logger } = options;
    const userAgent = config.device.userAgent ?? `deskphone/${options.version}`;
    const sip = await SipStack.start({
      listenAddress: config.sip.listenAddress,
      udpPort: config.sip.udpPort,
      tcpPort: config.sip.tcpPort,
      tls: config.sip.tls,
      timers: config.sip.timers,
      dnsServers: config.sip.dnsServers,
      userAgent,
      clock,
      logger: logger.child('sip'),
    });
    const phone = new Phone(options, sip);
    if (options.onEvent) phone.events.onAny(options.onEvent);
    phone.createLines(userAgent);
    phone.watchFlows();
    phone.events.emit({ type: 'sip.listening', endpoints: sip.listeningEndpoints() });
    phone.events.emit({ type: 'phone.started', version: options.version, board: options.boardName, lineIds: [...phone.lines.keys()] });
    for (const line of phone.lines.values()) line.registration?.start();
    return phone;
  }

  registrationState(lineId: string): RegistrationState | undefined {
    return this.lines.get(lineId)?.registration?.state;
  }

  lineIds(): string[] {
    return [...this.lines.keys()];
  }

  /** Unregisters every line (each waits at most its un-REGISTER timeout) and closes the stack. */
  async stop(reason: string): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.events.emit({ type: 'phone.stopping', reason });
    for (const line of this.lines.values()) line.keepAlive?.stop();
    await Promise.all([...this.lines.values()].map((line) => line.registration?.stop()));
    await this.sip.stop();
  }

  private createLines(userAgent: string): void {
    const { config, clock, logger } = this.options;
    for (const lineConfig of config.lines) {
      if (!lineConfig.enabled) continue;
      const line: Line = {
        config: lineConfig,
        keepAlive: undefined,
        registration: lineConfig.register
          ? new Registration({
              line: lineConfig,
              sender: this.sip.sender,
              clock,
              userAgent,
              logger: logger.child('sip.register'),
              onChange: (event) => {
                this.onRegistrationChange(line, event.state);
                this.events.emit(event);
              },
            })
          : undefined,
      };
      this.lines.set(lineConfig.id, line);
    }
  }

  private onRegistrationChange(line: Line, state: RegistrationState): void {
    line.keepAlive?.stop();
    line.keepAlive = undefined;
    const flow = line.registration?.flowDestination;
    if (state === 'registered' && flow && line.config.keepAliveIntervalSec > 0 && !this.stopping) {
      line.keepAlive = this.sip.transport.startKeepAlive(flow, { intervalMs: line.config.keepAliveIntervalSec * 1000 });
    }
  }

  /** RFC 5626 §4.4: a failed flow, or a new public address, means registering again now. */
  private watchFlows(): void {
    const refreshLinesOn = (protocol: string, remote: { address: string; port: number }, reason: string) => {
      if (this.stopping) return;
      for (const line of this.lines.values()) {
        const flow: Destination | undefined = line.registration?.flowDestination;
        if (flow && flow.protocol === protocol && flow.address === remote.address && flow.port === remote.port) {
          line.registration?.refreshNow(reason);
        }
      }
    };
    this.sip.transport.events.on('connection-closed', (e) => {
      if (e.reason !== 'shutdown') refreshLinesOn(e.protocol, e.remote, `connection to registrar closed (${e.reason})`);
    });
    this.sip.transport.events.on('keepalive-timeout', (e) => refreshLinesOn(e.protocol, e.remote, 'keep-alive unanswered'));
    // Learned while the REGISTER that revealed it is still completing: register again once it has.
    this.sip.transport.events.on('public-address-changed', (e) => {
      const reason = `public address is now ${e.current.host}:${e.current.port} (RFC 3581)`;
      this.options.clock.setTimeout(() => {
        for (const line of this.lines.values()) {
          const target = line.registration?.lastTarget;
          if (target && target.protocol === e.protocol && target.address === e.server.address && target.port === e.server.port) {
            line.registration?.refreshNow(reason);
          }
        }
      }, 0);
    });
  }
}
