/**
 * One RTP session over UDP: the thin adapter between sockets/timers and the
 * pure RTP/RTCP stages (RtpSender, RtcpReporter). It carries `RtpPacket`s
 * and knows nothing of codecs; the media pipeline packs frames into payloads
 * and feeds received packets to the jitter buffer.
 *
 * - RFC 3550 §11: RTP on an even port, RTCP on the next (odd) one; or both on
 *   one socket with rtcp-mux (RFC 5761 §4: RTCP recognised by packet types
 *   192..223 in the second octet).
 * - RFC 4961 symmetric RTP: we send from the socket we receive on. Latching
 *   (for peers behind NAT): until the first packet arrives we send to the
 *   signalled address; the first valid packet fixes the peer's transport
 *   address ("latches"), our packets go there from then on, and packets from
 *   any other address are ignored. Without latching, only packets from the
 *   signalled IP address are accepted.
 * - RFC 3550 §6: RTCP compound reports on the randomised interval of §6.3,
 *   timed with the injected `Clock`; BYE on close (§6.6); SSRC collision
 *   handling (§8.2).
 * - Wire data never throws: malformed datagrams are counted and dropped.
 */
import type { RemoteInfo, Socket } from 'node:dgram';
import { systemClock, type Clock, type TimerHandle } from '../../core/clock.ts';
import { TypedEmitter } from '../../core/typed-emitter.ts';
import { silentLogger, type Logger } from '../../log/logger.ts';
import type { RtpPacket } from '../types.ts';
import { compactNtpToMs } from '../rtcp/ntp-time.ts';
import { parseRtcpCompound } from '../rtcp/rtcp-compound.ts';
import { RtcpReporter } from '../rtcp/rtcp-reporter.ts';
import type { RtcpReportBlock } from '../rtcp/rtcp-types.ts';
import type { RandomUint32 } from '../rtp/random-uint32.ts';
import { parseRtpPacket, serializeRtpPacket } from '../rtp/rtp-packet.ts';
import { RtpSender } from '../rtp/rtp-sender.ts';
import { timestampUnitsToMs } from '../rtp/timestamp.ts';
import { bindRtpSockets, type BoundRtpSockets, type RtpPortRange } from './bind-rtp-sockets.ts';
import { formatEndpoint, ipFamilyOf, normalizeIpAddress, sameEndpoint, sameIpAddress, type RtpEndpoint } from './rtp-endpoint.ts';
import type { RtpSessionEvent, RtpSessionStatistics } from './rtp-session-events.ts';

/** The peer's media address as signalled in SDP (c= / m= / a=rtcp). */
export interface RtpSessionRemote {
  readonly address: string;
  readonly rtpPort: number;
  /** RFC 3605 a=rtcp; default rtpPort + 1, or rtpPort with rtcp-mux. */
  readonly rtcpPort?: number;
}

export interface RtpSessionOptions {
  /** Address to bind: `127.0.0.1`, `::1`, `0.0.0.0`, `::` or an interface address. */
  readonly localAddress: string;
  /** Even RTP port; absent or 0 picks a free even port in `portRange`. */
  readonly localPort?: number;
  readonly portRange?: RtpPortRange;
  /** Null until the SDP answer is known; `setRemote` later. */
  readonly remote?: RtpSessionRemote | null;
  /** RFC 5761: RTP and RTCP on one port. Default false. */
  readonly rtcpMux?: boolean;
  /** RFC 4961 latching onto the address the peer's packets come from. Default true. */
  readonly symmetricLatching?: boolean;
  /** Payload type `send` uses when not told otherwise. */
  readonly payloadType: number;
  /** RTP clock rate of the negotiated audio codec (RTP timestamps, jitter). */
  readonly clockRateHz: number;
  /** RFC 3550 §6.5.1 CNAME, e.g. `alice@192.0.2.10`. */
  readonly cname: string;
  /** Session bandwidth (bit/s) for the RTCP interval; default 80 000. */
  readonly sessionBandwidthBps?: number;
  /** RTCP minimum interval; default 5000 ms (RFC 3550 §6.2). */
  readonly minimumRtcpIntervalMs?: number;
  readonly clock?: Clock;
  /** The `media` logger: the session logs under `<its category>.rtp` and `.rtcp`. */
  readonly logger?: Logger;
  /** Uniform in [0, 1): RTCP interval randomisation (ports are chosen with Math.random). */
  readonly random?: () => number;
  /** SSRC / initial sequence number / initial timestamp source (default: crypto). */
  readonly randomUint32?: RandomUint32;
  /** Wall clock for SR NTP timestamps (default Date.now); read once and advanced with `clock`. */
  readonly wallClockMs?: () => number;
}

export interface SendOptions {
  /** Timestamp units the payload covers (e.g. 160 for 20 ms at 8 kHz). */
  readonly timestampIncrement: number;
  /** Forces the marker bit; by default set on the first packet of a talk spurt (RFC 3551 §4.1). */
  readonly marker?: boolean;
  readonly payloadType?: number;
}

/** RFC 5761 §4: RTCP packet types 192..223 (FIR..) cover the RTCP range the second octet can hold. */
function looksLikeRtcp(datagram: Uint8Array): boolean {
  const packetType = datagram[1] ?? 0;
  return datagram.byteLength >= 4 && packetType >= 192 && packetType <= 223;
}

function fractionToPercent(fractionLost: number): number {
  return (fractionLost * 100) / 256;
}

export class RtpSession {
  readonly events: TypedEmitter<RtpSessionEvent>;
  /** The outgoing stream: SSRC, sequence, timestamp (`skip()` for suppressed silence, `beginTalkSpurt()`). */
  readonly sender: RtpSender;

  private readonly clock: Clock;
  private readonly rtpLog: Logger;
  private readonly rtcpLog: Logger;
  private readonly reporter: RtcpReporter;
  private readonly rtcpMux: boolean;
  private readonly symmetricLatching: boolean;
  private signalled: RtpSessionRemote | null;
  private remoteRtp: RtpEndpoint | null = null;
  private remoteRtcp: RtpEndpoint | null = null;
  private rtpLatched = false;
  private rtcpLatched = false;
  private remoteSsrc: number | null = null;
  private lastRemoteBlock: RtcpReportBlock | null = null;
  private lastRoundTripTimeMs: number | null = null;
  private rtcpTimer: TimerHandle | undefined;
  private closed = false;
  private closing: Promise<void> | null = null;
  private readonly counters = {
    packetsSent: 0,
    octetsSent: 0,
    packetsReceived: 0,
    octetsReceived: 0,
    rtcpPacketsSent: 0,
    rtcpPacketsReceived: 0,
    malformedPackets: 0,
    ignoredPackets: 0,
    discardedPackets: 0,
  };

  /** Binds the sockets and starts RTCP. */
  static async open(options: RtpSessionOptions): Promise<RtpSession> {
    const sockets = await bindRtpSockets({
      address: options.localAddress,
      rtcpMux: options.rtcpMux ?? false,
      ...(options.localPort === undefined ? {} : { port: options.localPort }),
      ...(options.portRange === undefined ? {} : { portRange: options.portRange }),
    });
    return new RtpSession(options, sockets);
  }

  private constructor(
    private readonly options: RtpSessionOptions,
    private readonly sockets: BoundRtpSockets,
  ) {
    this.clock = options.clock ?? systemClock;
    const media = options.logger ?? silentLogger;
    this.rtpLog = media.child('rtp');
    this.rtcpLog = media.child('rtcp');
    this.events = new TypedEmitter<RtpSessionEvent>((error, event) => this.rtpLog.error('session event listener threw', { event: event.type, error }));
    this.rtcpMux = options.rtcpMux ?? false;
    this.symmetricLatching = options.symmetricLatching ?? true;
    this.sender = new RtpSender({
      payloadType: options.payloadType,
      clockRateHz: options.clockRateHz,
      ...(options.randomUint32 === undefined ? {} : { randomUint32: options.randomUint32 }),
    });
    const wallOffsetMs = (options.wallClockMs ?? Date.now)() - this.clock.nowMs();
    this.reporter = new RtcpReporter({
      cname: options.cname,
      clockRateHz: options.clockRateHz,
      random: options.random ?? Math.random,
      wallClockMsAt: (nowMs) => wallOffsetMs + nowMs,
      headerOverheadBytes: ipFamilyOf(options.localAddress) === 6 ? 48 : 28,
      ...(options.sessionBandwidthBps === undefined ? {} : { sessionBandwidthBps: options.sessionBandwidthBps }),
      ...(options.minimumRtcpIntervalMs === undefined ? {} : { minimumIntervalMs: options.minimumRtcpIntervalMs }),
    });
    this.signalled = options.remote ?? null;
    this.applySignalledRemote();

    sockets.rtp.on('message', (data, rinfo) => this.onRtpSocketMessage(data, rinfo));
    sockets.rtp.on('error', (error) => this.rtpLog.warn('RTP socket error', { error }));
    sockets.rtcp?.on('message', (data, rinfo) => this.onRtcpDatagram(data, rinfo));
    sockets.rtcp?.on('error', (error) => this.rtcpLog.warn('RTCP socket error', { error }));
    this.rtpLog.info('RTP session open', {
      local: formatEndpoint({ address: options.localAddress, port: sockets.rtpPort }),
      rtcpPort: sockets.rtcpPort,
      rtcpMux: this.rtcpMux,
      remote: this.remoteRtp ? formatEndpoint(this.remoteRtp) : null,
      ssrc: this.sender.ssrc,
    });
    this.scheduleRtcp();
  }

  get localRtpPort(): number {
    return this.sockets.rtpPort;
  }

  get localRtcpPort(): number {
    return this.sockets.rtcpPort;
  }

  get localAddress(): string {
    return this.options.localAddress;
  }

  /** A new signalled peer (re-INVITE / UPDATE): latching starts over. */
  setRemote(remote: RtpSessionRemote | null): void {
    this.signalled = remote;
    this.rtpLatched = false;
    this.rtcpLatched = false;
    this.applySignalledRemote();
    this.rtpLog.info('remote media address set', { remote: this.remoteRtp ? formatEndpoint(this.remoteRtp) : null });
  }

  private applySignalledRemote(): void {
    const remote = this.signalled;
    if (!remote) {
      this.remoteRtp = null;
      this.remoteRtcp = null;
      return;
    }
    const address = normalizeIpAddress(remote.address);
    this.remoteRtp = { address, port: remote.rtpPort };
    this.remoteRtcp = { address, port: remote.rtcpPort ?? (this.rtcpMux ? remote.rtpPort : remote.rtpPort + 1) };
  }

  /**
   * Packs `payload` into the next RTP packet and sends it to the peer.
   * Returns the packet sent, or null when no peer address is known yet or the
   * session is closed (nothing is consumed: sequence and timestamp stay).
   */
  send(payload: Uint8Array, options: SendOptions): RtpPacket | null {
    const destination = this.remoteRtp;
    if (this.closed || !destination) return null;
    const packet = this.sender.packetize(payload, { ...options, nowMs: this.clock.nowMs() });
    this.transmit(this.sockets.rtp, serializeRtpPacket(packet), destination, this.rtpLog);
    this.reporter.onRtpSent();
    this.counters.packetsSent++;
    this.counters.octetsSent += payload.byteLength;
    return packet;
  }

  /** Counters and quality figures (UI, call-end log line). */
  statistics(): RtpSessionStatistics {
    const current = this.remoteSsrc === null ? undefined : this.reporter.sourceStatistics(this.remoteSsrc);
    return {
      localSsrc: this.sender.ssrc,
      remoteSsrc: this.remoteSsrc,
      remoteCname: this.remoteSsrc === null ? null : this.reporter.cnameOf(this.remoteSsrc),
      ...this.counters,
      packetsLost: current ? Math.max(0, current.cumulativeLost) : 0,
      lossPercent: current?.lossPercent ?? 0,
      jitterMs: current?.jitterMs ?? 0,
      remoteLossPercent: this.lastRemoteBlock ? fractionToPercent(this.lastRemoteBlock.fractionLost) : null,
      remoteCumulativeLost: this.lastRemoteBlock?.cumulativeLost ?? null,
      remoteJitterMs: this.lastRemoteBlock ? timestampUnitsToMs(this.lastRemoteBlock.jitter, this.options.clockRateHz) : null,
      roundTripTimeMs: this.lastRoundTripTimeMs,
      remoteRtp: this.remoteRtp,
      remoteRtcp: this.remoteRtcp,
      latched: this.rtpLatched,
    };
  }

  /** Sends RTCP BYE (RFC 3550 §6.6) if a peer is known, then closes the sockets. Idempotent. */
  close(reason: string | null = null): Promise<void> {
    this.closing ??= this.doClose(reason);
    return this.closing;
  }

  private async doClose(reason: string | null): Promise<void> {
    this.closed = true;
    this.clock.clearTimeout(this.rtcpTimer);
    this.rtcpTimer = undefined;
    const destination = this.remoteRtcp;
    if (destination) {
      const report = this.reporter.buildReport({ nowMs: this.clock.nowMs(), sender: this.sender, bye: { reason } });
      await this.transmit(this.rtcpSocket(), report.bytes, destination, this.rtcpLog);
      this.counters.rtcpPacketsSent++;
      this.rtcpLog.debug('RTCP BYE sent', { to: formatEndpoint(destination), ssrc: this.sender.ssrc, reason });
    }
    const statistics = this.statistics();
    this.rtpLog.info('RTP session closed', {
      packetsSent: statistics.packetsSent,
      packetsReceived: statistics.packetsReceived,
      lossPercent: statistics.lossPercent,
      jitterMs: statistics.jitterMs,
      roundTripTimeMs: statistics.roundTripTimeMs,
      malformedPackets: statistics.malformedPackets,
      ignoredPackets: statistics.ignoredPackets,
    });
    await Promise.all([this.sockets.rtp, this.sockets.rtcp].map((socket) => (socket ? closeSocket(socket) : Promise.resolve())));
  }

  private rtcpSocket(): Socket {
    return this.sockets.rtcp ?? this.sockets.rtp;
  }

  /** Sends from `socket` (symmetric RTP, RFC 4961 §3); errors are logged, never thrown. */
  private transmit(socket: Socket, bytes: Uint8Array, destination: RtpEndpoint, log: Logger): Promise<void> {
    let address = destination.address;
    const socketFamily = ipFamilyOf(this.options.localAddress);
    if (ipFamilyOf(address) !== socketFamily) {
      if (this.options.localAddress !== '::') {
        log.warn('peer address family does not match the local socket', { to: formatEndpoint(destination), local: this.options.localAddress });
        return Promise.resolve();
      }
      address = `::ffff:${address}`; // IPv4 peer through the dual-stack socket bound to ::
    }
    return new Promise((resolve) => {
      try {
        socket.send(bytes, destination.port, address, (error) => {
          if (error) log.debug('send failed', { to: formatEndpoint(destination), error });
          resolve();
        });
      } catch (error) {
        log.debug('send failed', { to: formatEndpoint(destination), error });
        resolve();
      }
    });
  }

  private onRtpSocketMessage(data: Buffer, rinfo: RemoteInfo): void {
    if (this.rtcpMux && looksLikeRtcp(data)) {
      this.onRtcpDatagram(data, rinfo);
      return;
    }
    if (this.closed) return;
    const arrivalTimeMs = this.clock.nowMs();
    const from: RtpEndpoint = { address: normalizeIpAddress(rinfo.address), port: rinfo.port };
    const parsed = parseRtpPacket(data);
    if (!parsed.ok) {
      this.counters.malformedPackets++;
      this.rtpLog.debug('malformed RTP dropped', { from: formatEndpoint(from), reason: parsed.error.reason, detail: parsed.error.detail });
      return;
    }
    if (!this.acceptSource('rtp', from)) return;
    const packet = parsed.packet;
    if (packet.ssrc === this.sender.ssrc) this.onLocalSsrcCollision(from);

    const { verdict } = this.reporter.onRtpPacket(packet, arrivalTimeMs);
    if (packet.ssrc !== this.remoteSsrc && (this.remoteSsrc === null || verdict === 'valid' || verdict === 'restarted')) {
      const previousSsrc = this.remoteSsrc;
      this.remoteSsrc = packet.ssrc;
      if (previousSsrc !== null) {
        this.rtpLog.info('remote SSRC changed', { previousSsrc, ssrc: packet.ssrc });
        this.events.emit({ type: 'ssrc-changed', side: 'remote', previousSsrc, ssrc: packet.ssrc });
      }
    }
    if (verdict === 'bad-jump') {
      // RFC 3550 A.1: a very large sequence jump is held until the next packet confirms it.
      this.counters.discardedPackets++;
      return;
    }
    this.counters.packetsReceived++;
    this.counters.octetsReceived += packet.payload.byteLength;
    this.events.emit({ type: 'rtp-packet', packet, arrivalTimeMs, from, sourceValidated: verdict !== 'probation' });
  }

  private onRtcpDatagram(data: Buffer, rinfo: RemoteInfo): void {
    if (this.closed) return;
    const arrivalTimeMs = this.clock.nowMs();
    const from: RtpEndpoint = { address: normalizeIpAddress(rinfo.address), port: rinfo.port };
    const parsed = parseRtcpCompound(data);
    if (!parsed.ok) {
      this.counters.malformedPackets++;
      this.rtcpLog.debug('malformed RTCP dropped', { from: formatEndpoint(from), reason: parsed.error.reason, detail: parsed.error.detail });
      return;
    }
    if (!this.acceptSource('rtcp', from)) return;
    this.counters.rtcpPacketsReceived++;
    const localSsrc = this.sender.ssrc;
    const digest = this.reporter.onRtcpCompound(parsed.value, { arrivalTimeMs, datagramBytes: data.byteLength, localSsrc });
    for (const report of digest.reports) {
      const block = report.reportBlock;
      if (block) this.lastRemoteBlock = block;
      if (report.roundTripTimeMs !== null) this.lastRoundTripTimeMs = report.roundTripTimeMs;
      this.rtcpLog.debug('RTCP report received', {
        ssrc: report.ssrc,
        kind: report.senderInfo ? 'SR' : 'RR',
        fractionLost: block?.fractionLost,
        jitter: block?.jitter,
        lsr: block?.lastSenderReport,
        dlsrMs: block ? compactNtpToMs(block.delaySinceLastSenderReport) : undefined,
        roundTripTimeMs: report.roundTripTimeMs,
      });
      this.events.emit({
        type: 'rtcp-report',
        ssrc: report.ssrc,
        senderInfo: report.senderInfo,
        reportBlock: block,
        fractionLostPercent: block ? fractionToPercent(block.fractionLost) : null,
        jitterMs: block ? timestampUnitsToMs(block.jitter, this.options.clockRateHz) : null,
        roundTripTimeMs: report.roundTripTimeMs,
        arrivalTimeMs,
      });
    }
    for (const bye of digest.byes) {
      this.rtcpLog.info('RTCP BYE received', { ssrcs: bye.ssrcs, reason: bye.reason });
      if (this.remoteSsrc !== null && bye.ssrcs.includes(this.remoteSsrc)) this.remoteSsrc = null;
      this.events.emit({ type: 'remote-bye', ssrcs: bye.ssrcs, reason: bye.reason });
    }
    if (digest.ssrcs.includes(localSsrc) && this.sender.ssrc === localSsrc) this.onLocalSsrcCollision(from);
  }

  /**
   * Whether a packet from `from` belongs to this session (RFC 4961 latching,
   * see the file comment). Latches on the first acceptable packet.
   */
  private acceptSource(channel: 'rtp' | 'rtcp', from: RtpEndpoint): boolean {
    const log = channel === 'rtp' ? this.rtpLog : this.rtcpLog;
    if (this.isOwnSocket(from)) {
      // RFC 3550 §8.2: our own packets looped back are not another participant.
      this.counters.ignoredPackets++;
      log.debug('own packet looped back, ignored', { from: formatEndpoint(from) });
      return false;
    }
    if (!this.symmetricLatching) {
      if (this.signalled && sameIpAddress(this.signalled.address, from.address)) return true;
      this.counters.ignoredPackets++;
      log.debug('packet from an address other than the signalled peer ignored', { from: formatEndpoint(from) });
      return false;
    }
    const latched = channel === 'rtp' ? this.rtpLatched : this.rtcpLatched;
    const current = channel === 'rtp' ? this.remoteRtp : this.remoteRtcp;
    if (latched) {
      if (current && sameEndpoint(current, from)) return true;
      this.counters.ignoredPackets++;
      log.debug('packet from an address other than the latched peer ignored', { from: formatEndpoint(from), latched: current ? formatEndpoint(current) : null });
      return false;
    }
    this.latch(channel, from, current);
    return true;
  }

  private latch(channel: 'rtp' | 'rtcp', from: RtpEndpoint, previous: RtpEndpoint | null): void {
    if (channel === 'rtp') this.rtpLatched = true;
    else this.rtcpLatched = true;
    if (previous && sameEndpoint(previous, from)) return;
    if (channel === 'rtp') {
      this.remoteRtp = from;
      // Until the peer's RTCP shows where it comes from, send RTCP next to the latched RTP.
      if (!this.rtcpLatched) this.remoteRtcp = this.rtcpMux ? from : { address: from.address, port: from.port + 1 };
    } else {
      this.remoteRtcp = from;
    }
    const log = channel === 'rtp' ? this.rtpLog : this.rtcpLog;
    log.info('symmetric RTP: latched onto the address the peer sends from', {
      channel,
      signalled: previous ? formatEndpoint(previous) : null,
      latched: formatEndpoint(from),
    });
    this.events.emit({ type: 'remote-latched', channel, previous, latched: from });
  }

  private isOwnSocket(from: RtpEndpoint): boolean {
    const local = this.options.localAddress;
    if (local === '0.0.0.0' || local === '::') return false;
    return sameIpAddress(local, from.address) && (from.port === this.sockets.rtpPort || from.port === this.sockets.rtcpPort);
  }

  /**
   * RFC 3550 §8.2: "If a source discovers at any time that another source is
   * using the same SSRC identifier as its own, it MUST send an RTCP BYE packet
   * for the old identifier and choose another random one."
   */
  private onLocalSsrcCollision(from: RtpEndpoint): void {
    const destination = this.remoteRtcp;
    if (destination) {
      const bye = this.reporter.buildReport({ nowMs: this.clock.nowMs(), sender: this.sender, bye: { reason: 'SSRC collision' } });
      void this.transmit(this.rtcpSocket(), bye.bytes, destination, this.rtcpLog);
      this.counters.rtcpPacketsSent++;
    }
    const change = this.sender.changeSsrc(new Set(this.reporter.memberSsrcs));
    this.rtpLog.warn('SSRC collision: changed our SSRC', { from: formatEndpoint(from), previousSsrc: change.previousSsrc, ssrc: change.ssrc });
    this.events.emit({ type: 'ssrc-changed', side: 'local', previousSsrc: change.previousSsrc, ssrc: change.ssrc });
  }

  private scheduleRtcp(): void {
    if (this.closed) return;
    const delayMs = this.reporter.nextIntervalMs();
    this.rtcpTimer = this.clock.setTimeout(() => this.onRtcpTimer(), delayMs);
  }

  /** RFC 3550 §6.3.6: when the transmission timer expires, send a compound report and schedule the next. */
  private onRtcpTimer(): void {
    this.rtcpTimer = undefined;
    if (this.closed) return;
    const destination = this.remoteRtcp;
    if (destination) {
      const report = this.reporter.buildReport({ nowMs: this.clock.nowMs(), sender: this.sender });
      void this.transmit(this.rtcpSocket(), report.bytes, destination, this.rtcpLog);
      this.counters.rtcpPacketsSent++;
      const first = report.packets[0];
      this.rtcpLog.debug('RTCP report sent', {
        to: formatEndpoint(destination),
        kind: first?.type === 'sr' ? 'SR' : 'RR',
        reportBlocks: first && (first.type === 'sr' || first.type === 'rr') ? first.reportBlocks.length : 0,
        octets: report.bytes.byteLength,
      });
    }
    this.scheduleRtcp();
  }
}

function closeSocket(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve();
    }
  });
}
