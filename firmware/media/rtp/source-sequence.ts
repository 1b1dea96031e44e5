/**
 * Per-source sequence-number state of RFC 3550 Appendix A.1: probation of a
 * new source, 16-bit wrap counting (extended sequence numbers), and the
 * MAX_DROPOUT / MAX_MISORDER rules that tell a gap, a late packet and a
 * restarted sender apart. Pure: one call per received packet.
 */
import { RTP_SEQ_MOD } from './sequence.ts';

/** RFC 3550 A.1 constants. */
export const MAX_DROPOUT = 3000;
export const MAX_MISORDER = 100;
export const MIN_SEQUENTIAL = 2;

/**
 * What `update()` decided about a packet:
 * - `valid`: counts as received (in order, after a permissible gap, or a
 *   late/duplicate packet within MAX_MISORDER);
 * - `probation`: the source is not yet validated (A.1 returns 0);
 * - `bad-jump`: a very large jump, held until the next packet confirms a
 *   sender restart (A.1 returns 0, the caller discards the packet);
 * - `restarted`: the next packet confirmed that jump; the state re-synced
 *   and the packet counts as received.
 */
export type SequenceVerdict = 'valid' | 'probation' | 'bad-jump' | 'restarted';

export interface SourceSequenceOptions {
  /** Packets in sequence needed to validate the source; 0 or 1 validates on the first packet (A.1: MIN_SEQUENTIAL). */
  readonly minSequential?: number;
}

export class SourceSequence {
  /** A.1 `base_seq`: first sequence number counted. */
  private baseSeq = 0;
  /** A.1 `max_seq`: highest sequence number seen. */
  private maxSeq = 0;
  /** A.1 `cycles`: shifted count of sequence number wraps. */
  private cycles = 0;
  /** A.1 `bad_seq`: last 'bad' sequence number + 1. */
  private badSeq = RTP_SEQ_MOD + 1;
  /** A.1 `probation`: sequential packets still needed. */
  private probation: number;
  /** A.1 `received`: packets counted since (re)initialisation. */
  private receivedCount = 0;
  private readonly minSequential: number;

  /** A.1: "s->max_seq = seq - 1; s->probation = MIN_SEQUENTIAL" when a new source is heard. */
  constructor(firstSequence: number, options: SourceSequenceOptions = {}) {
    this.minSequential = Math.max(1, options.minSequential ?? MIN_SEQUENTIAL);
    this.initSeq(firstSequence);
    this.maxSeq = (firstSequence + RTP_SEQ_MOD - 1) % RTP_SEQ_MOD;
    this.probation = this.minSequential;
  }

  /** RFC 3550 A.1 `init_seq`. */
  private initSeq(seq: number): void {
    this.baseSeq = seq;
    this.maxSeq = seq;
    this.badSeq = RTP_SEQ_MOD + 1;
    this.cycles = 0;
    this.receivedCount = 0;
  }

  /** RFC 3550 A.1 `update_seq`. */
  update(seq: number): SequenceVerdict {
    const udelta = (seq - this.maxSeq + RTP_SEQ_MOD) % RTP_SEQ_MOD;
    if (this.probation > 0) {
      // Packet is in sequence. (A.1 compares seq == max_seq + 1 in int arithmetic,
      // which misses the 65535 → 0 step; compare modulo 2^16.)
      if (seq === (this.maxSeq + 1) % RTP_SEQ_MOD) {
        this.probation--;
        this.maxSeq = seq;
        if (this.probation === 0) {
          this.initSeq(seq);
          this.receivedCount++;
          return 'valid';
        }
      } else {
        this.probation = this.minSequential - 1;
        this.maxSeq = seq;
        if (this.probation === 0) {
          this.initSeq(seq);
          this.receivedCount++;
          return 'valid';
        }
      }
      return 'probation';
    }
    let verdict: SequenceVerdict = 'valid';
    if (udelta < MAX_DROPOUT) {
      // In order, with permissible gap.
      if (seq < this.maxSeq) this.cycles += RTP_SEQ_MOD; // sequence number wrapped: another 64K cycle
      this.maxSeq = seq;
    } else if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
      // The sequence number made a very large jump.
      if (seq === this.badSeq) {
        // Two sequential packets: assume the other side restarted without telling us; re-sync.
        this.initSeq(seq);
        verdict = 'restarted';
      } else {
        this.badSeq = (seq + 1) % RTP_SEQ_MOD;
        return 'bad-jump';
      }
    }
    // else: duplicate or reordered packet.
    this.receivedCount++;
    return verdict;
  }

  /** Whether the source passed probation. */
  get validated(): boolean {
    return this.probation === 0;
  }

  /** A.3 `extended_max = s->cycles + s->max_seq`. */
  get extendedHighestSequence(): number {
    return this.cycles + this.maxSeq;
  }

  /** A.1 `base_seq`. */
  get baseSequence(): number {
    return this.baseSeq;
  }

  /** A.1 `received`: packets counted (duplicates included, as in the RFC). */
  get received(): number {
    return this.receivedCount;
  }

  /** A.3 `expected = extended_max - s->base_seq + 1` (0 before validation). */
  get expected(): number {
    return this.validated ? this.extendedHighestSequence - this.baseSeq + 1 : 0;
  }
}
