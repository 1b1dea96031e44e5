/**
 * RTCP transmission interval (RFC 3550 §6.3.1, §6.2, Appendix A.7). Pure:
 * the random number is injected.
 *
 * A.7 `rtcp_interval()`:
 *   - minimum interval RTCP_MIN_TIME = 5 s, halved before the first report
 *     ("initial");
 *   - when senders are at most a quarter of the members, senders share 25 %
 *     of the RTCP bandwidth and receivers 75 %;
 *   - t = avg_rtcp_size * n / rtcp_bw, at least the minimum;
 *   - t = t * (drand48() + 0.5): "randomized to the range [0.5, 1.5] times
 *     the calculated interval to avoid unintended synchronization";
 *   - t = t / (e - 3/2): "compensates for 'timer reconsideration' converging
 *     to a value below the intended average".
 */

export const RTCP_MIN_TIME_MS = 5000;
export const RTCP_SENDER_BW_FRACTION = 0.25;
export const RTCP_RCVR_BW_FRACTION = 1 - RTCP_SENDER_BW_FRACTION;
/** A.7 `COMPENSATION = 2.71828 - 1.5`. */
export const RTCP_COMPENSATION = Math.E - 1.5;

export interface RtcpIntervalOptions {
  /** Session members, ourselves included. */
  readonly members: number;
  /** Members that sent RTP recently, ourselves included if we did. */
  readonly senders: number;
  /** RTCP bandwidth in octets per second (§6.2: 5 % of the session bandwidth). */
  readonly rtcpBandwidthBytesPerSecond: number;
  /** Whether we sent RTP since the second-to-last report. */
  readonly weSent: boolean;
  /** Average compound RTCP size in octets, UDP and IP headers included (§6.3.3). */
  readonly averageRtcpSizeBytes: number;
  /** Before the first RTCP packet: the minimum is halved. */
  readonly initial: boolean;
  /** Uniform in [0, 1) (drand48). */
  readonly random: () => number;
  /** RTCP_MIN_TIME; §6.2 allows a smaller one for high-bandwidth sessions. Default 5000. */
  readonly minimumIntervalMs?: number;
}

/** The randomised interval until the next RTCP packet, in milliseconds. */
export function rtcpIntervalMs(options: RtcpIntervalOptions): number {
  let minimumMs = options.minimumIntervalMs ?? RTCP_MIN_TIME_MS;
  if (options.initial) minimumMs /= 2;

  // "Dedicate a fraction of the RTCP bandwidth to senders unless the number of
  // senders is large enough that their share is more than that fraction."
  let n = options.members;
  let bandwidth = options.rtcpBandwidthBytesPerSecond;
  if (options.senders <= options.members * RTCP_SENDER_BW_FRACTION) {
    if (options.weSent) {
      bandwidth *= RTCP_SENDER_BW_FRACTION;
      n = options.senders;
    } else {
      bandwidth *= RTCP_RCVR_BW_FRACTION;
      n -= options.senders;
    }
  }

  // "The effective number of sites times the average packet size is the total
  // number of octets sent when each site sends a report."
  let tMs = bandwidth > 0 ? ((options.averageRtcpSizeBytes * n) / bandwidth) * 1000 : Number.POSITIVE_INFINITY;
  if (tMs < minimumMs) tMs = minimumMs;
  tMs *= options.random() + 0.5;
  return tMs / RTCP_COMPENSATION;
}

/** §6.3.3: avg_rtcp_size = (1/16) * packet_size + (15/16) * avg_rtcp_size. */
export function updateAverageRtcpSize(averageBytes: number, packetBytes: number): number {
  return packetBytes / 16 + (averageBytes * 15) / 16;
}
