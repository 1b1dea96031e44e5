/** What the jitter buffer reports for the UI, logs and RTCP XR-style summaries. */
export interface JitterBufferStatistics {
  /**
   * Average audio queued when a packet arrives, including that packet
   * (filtered): about what an average packet waits plus its own duration.
   */
  readonly bufferDelayMs: number;
  /** The delay the buffer steers `bufferDelayMs` toward, in the same terms. */
  readonly targetDelayMs: number;
  /** Audio queued right now (packets + decoded samples not yet played). */
  readonly queuedAudioMs: number;
  /** Configured quantile (95th) of the relative arrival delay over the forgetting window. */
  readonly relativeDelayQuantileMs: number;
  readonly packetsReceived: number;
  /** Arrived after their play-out time: dropped (they are also counted lost if their slot was concealed). */
  readonly packetsLate: number;
  /** Missing at play-out (gaps in the sequence numbers decoded). */
  readonly packetsLost: number;
  readonly packetsDuplicate: number;
  /** Arrived with a lower sequence number than one already received. */
  readonly packetsReordered: number;
  /** Dropped for other reasons: unknown payload type, buffer overflow, resets. */
  readonly packetsDiscarded: number;
  readonly concealedMs: number;
  readonly comfortNoiseMs: number;
  readonly silenceMs: number;
  readonly accelerateCount: number;
  readonly acceleratedMs: number;
  readonly expandCount: number;
  readonly expandedMs: number;
  /** Resynchronisations (SSRC change, timestamp jump). */
  readonly resets: number;
}

export type MutableJitterBufferStatistics = { -readonly [K in keyof JitterBufferStatistics]: JitterBufferStatistics[K] };

export function emptyJitterBufferStatistics(): MutableJitterBufferStatistics {
  return {
    bufferDelayMs: 0,
    targetDelayMs: 0,
    queuedAudioMs: 0,
    relativeDelayQuantileMs: 0,
    packetsReceived: 0,
    packetsLate: 0,
    packetsLost: 0,
    packetsDuplicate: 0,
    packetsReordered: 0,
    packetsDiscarded: 0,
    concealedMs: 0,
    comfortNoiseMs: 0,
    silenceMs: 0,
    accelerateCount: 0,
    acceleratedMs: 0,
    expandCount: 0,
    expandedMs: 0,
    resets: 0,
  };
}
