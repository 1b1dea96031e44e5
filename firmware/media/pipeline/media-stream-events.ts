import type { RtpEndpoint } from '../session/rtp-endpoint.ts';
import type { MediaStreamStatistics } from './media-stream-statistics.ts';
import type { ReceivedDtmf } from './received-dtmf.ts';

export type MediaStreamEvent =
  /** A digit from the peer, once per key press (when it ends). */
  | ({ readonly type: 'dtmf-received'; readonly atMs: number } & ReceivedDtmf)
  /** Periodic figures (`statsIntervalMs`). */
  | { readonly type: 'stats'; readonly statistics: MediaStreamStatistics }
  /** Symmetric RTP: our packets now go where the peer's come from. */
  | { readonly type: 'remote-latched'; readonly channel: 'rtp' | 'rtcp'; readonly previous: RtpEndpoint | null; readonly latched: RtpEndpoint }
  /** Something failed without ending the call (an audio device, a codec); `where` says which part. */
  | { readonly type: 'error'; readonly where: 'capture' | 'playback' | 'encoder' | 'decoder' | 'device'; readonly error: unknown };
