/**
 * RFC 3264 §5.1 / §8.4 stream directions, from our side: `sendonly` is what a
 * phone offers when it puts the call on hold, `recvonly` what it answers to a
 * peer's hold, `inactive` both. RTCP keeps flowing in every direction
 * (RFC 3264 §5.1: "RTCP is still sent and received").
 */
export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export const MEDIA_DIRECTIONS: readonly MediaDirection[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

/** True when we send RTP in this direction. */
export function directionSends(direction: MediaDirection): boolean {
  return direction === 'sendrecv' || direction === 'sendonly';
}

/** True when we play what we receive in this direction. */
export function directionReceives(direction: MediaDirection): boolean {
  return direction === 'sendrecv' || direction === 'recvonly';
}
