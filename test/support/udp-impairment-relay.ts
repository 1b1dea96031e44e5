/**
 * A UDP relay on loopback that plays a bad network between two media
 * endpoints: each datagram is dropped with probability `lossRate`, or
 * delivered after `delayMs` plus Gaussian jitter of standard deviation
 * `jitterMs` (so later datagrams overtake earlier ones: reordering), with an
 * optional extra hold-back of `reorderRate` of the datagrams by
 * `reorderHoldMs`. Decisions come from a seeded PRNG (mulberry32), so a
 * given seed drops the same datagrams every run.
 *
 *   A ──▶ relay.portForA ─ impaired ─▶ (from relay.portForB) ──▶ B
 *   A ◀── (from relay.portForA) ◀─ impaired ─ relay.portForB ◀── B
 *
 * Endpoints latching onto the address packets come from (symmetric RTP)
 * therefore talk to the relay in both directions. Loopback only.
 */
import { createSocket, type Socket } from 'node:dgram';
import { SeededRandom } from './seeded-random.ts';

export interface Impairment {
  /** Probability of dropping a datagram, 0..1. */
  readonly lossRate: number;
  /** Base one-way delay, ms. */
  readonly delayMs: number;
  /** Standard deviation of the delay, ms (the delay never goes below 0). */
  readonly jitterMs: number;
  /** Probability of holding a datagram back by `reorderHoldMs` more. Default 0. */
  readonly reorderRate?: number;
  readonly reorderHoldMs?: number;
  readonly seed: number;
}

export interface RelayEndpoint {
  readonly address: string;
  readonly port: number;
}

export interface RelayDirectionStatistics {
  readonly received: number;
  readonly dropped: number;
  readonly forwarded: number;
  /** Forwarded after a datagram that arrived at the relay later. */
  readonly reordered: number;
  /** Longest run of consecutive dropped datagrams. */
  readonly longestDropRun: number;
  readonly meanDelayMs: number;
  readonly maxDelayMs: number;
}

const LOOPBACK = new Set(['127.0.0.1', '::1']);

class Direction {
  private readonly random: SeededRandom;
  private received = 0;
  private dropped = 0;
  private forwarded = 0;
  private reordered = 0;
  private dropRun = 0;
  private longestDropRun = 0;
  private delaySumMs = 0;
  private maxDelayMs = 0;
  private lastDeliveredIndex = -1;
  private readonly pending = new Set<NodeJS.Timeout>();

  constructor(
    private readonly impairment: Impairment | null,
    private readonly out: Socket,
    private readonly destination: RelayEndpoint,
  ) {
    this.random = new SeededRandom(impairment?.seed ?? 1);
  }

  handle(data: Buffer): void {
    const index = this.received++;
    const impairment = this.impairment;
    if (impairment === null) {
      this.deliver(data, index, 0);
      return;
    }
    if (this.random.next() < impairment.lossRate) {
      this.dropped++;
      this.dropRun++;
      this.longestDropRun = Math.max(this.longestDropRun, this.dropRun);
      return;
    }
    this.dropRun = 0;
    let delayMs = Math.max(0, impairment.delayMs + impairment.jitterMs * this.random.normal());
    if (this.random.next() < (impairment.reorderRate ?? 0)) delayMs += impairment.reorderHoldMs ?? 40;
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      this.deliver(data, index, delayMs);
    }, delayMs);
    this.pending.add(timer);
  }

  statistics(): RelayDirectionStatistics {
    return {
      received: this.received,
      dropped: this.dropped,
      forwarded: this.forwarded,
      reordered: this.reordered,
      longestDropRun: this.longestDropRun,
      meanDelayMs: this.forwarded > 0 ? this.delaySumMs / this.forwarded : 0,
      maxDelayMs: this.maxDelayMs,
    };
  }

  cancel(): void {
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }

  private deliver(data: Buffer, index: number, delayMs: number): void {
    if (index < this.lastDeliveredIndex) this.reordered++;
    this.lastDeliveredIndex = Math.max(this.lastDeliveredIndex, index);
    this.forwarded++;
    this.delaySumMs += delayMs;
    this.maxDelayMs = Math.max(this.maxDelayMs, delayMs);
    this.out.send(data, this.destination.port, this.destination.address);
  }
}

async function bindLoopback(address: string): Promise<Socket> {
  const socket = address.includes(':') ? createSocket({ type: 'udp6', ipv6Only: true }) : createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address, port: 0 }, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  return socket;
}

export class UdpImpairmentRelay {
  private constructor(
    private readonly socketA: Socket,
    private readonly socketB: Socket,
    private readonly aToB: Direction,
    private readonly bToA: Direction,
  ) {
    socketA.on('message', (data) => aToB.handle(data));
    socketB.on('message', (data) => bToA.handle(data));
  }

  /** Binds the two relay ports; `aToB` / `bToA` null pass that direction untouched. */
  static async open(options: { readonly a: RelayEndpoint; readonly b: RelayEndpoint; readonly aToB: Impairment | null; readonly bToA: Impairment | null }): Promise<UdpImpairmentRelay> {
    for (const endpoint of [options.a, options.b]) {
      if (!LOOPBACK.has(endpoint.address)) throw new Error(`the impairment relay only talks to loopback, not ${endpoint.address}`);
    }
    const socketA = await bindLoopback(options.a.address);
    const socketB = await bindLoopback(options.b.address);
    return new UdpImpairmentRelay(socketA, socketB, new Direction(options.aToB, socketB, options.b), new Direction(options.bToA, socketA, options.a));
  }

  /** Where A sends (A's remote port). */
  get portForA(): number {
    return this.socketA.address().port;
  }

  /** Where B sends (B's remote port). */
  get portForB(): number {
    return this.socketB.address().port;
  }

  statistics(): { readonly aToB: RelayDirectionStatistics; readonly bToA: RelayDirectionStatistics } {
    return { aToB: this.aToB.statistics(), bToA: this.bToA.statistics() };
  }

  async close(): Promise<void> {
    this.aToB.cancel();
    this.bToA.cancel();
    await Promise.all([this.socketA, this.socketB].map((socket) => new Promise<void>((resolve) => socket.close(() => resolve()))));
  }
}
