import type { MediaLoopPacing } from '../loop/media-loop.ts';
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../log/logger.ts';
import type { AudioFormat, AudioSink, AudioSource } from '../../../hal/audio/audio-device.ts';
import type { RtpPortRange } from '../session/bind-rtp-sockets.ts';
import type { RtpSessionRemote } from '../session/rtp-session.ts';
import type { RandomUint32 } from '../rtp/random-uint32.ts';
import type { CodecDescriptor, CodecFactory } from '../types.ts';
import type { MediaDirection } from './media-direction.ts';
import type { JitterBufferTuning } from './receive-path.ts';
import type { MuteMode } from './send-path.ts';

/**
 * What the call layer hands a `MediaStream` once SDP is negotiated. Nothing
 * here is SIP or SDP: payload types, addresses and direction as values.
 */
export interface MediaStreamOptions {
  /** The negotiated codec: descriptor carrying the negotiated payload type, and its factory (`CodecRegistry.find`). */
  readonly codec: { readonly descriptor: CodecDescriptor; readonly factory: CodecFactory };
  /** Packetisation time (SDP a=ptime); default the codec's frame duration. */
  readonly ptimeMs?: number;
  /** Negotiated telephone-event payload type (same clock rate as the codec), or null/absent: DTMF in-band. */
  readonly telephoneEventPayloadType?: number | null;
  /** RFC 3389 CN payload type accepted on receive; default 13. */
  readonly comfortNoisePayloadType?: number;

  readonly localAddress: string;
  readonly localPort?: number;
  readonly portRange?: RtpPortRange;
  /** The peer's media address (c=/m=); null until known, then `setRemote`. */
  readonly remote: RtpSessionRemote | null;
  readonly rtcpMux?: boolean;
  readonly symmetricLatching?: boolean;
  /** RFC 3550 CNAME, e.g. `alice@192.0.2.10`. */
  readonly cname: string;
  readonly minimumRtcpIntervalMs?: number;
  readonly randomUint32?: RandomUint32;

  /**
   * The audio devices, started by the caller (they outlive calls). The stream
   * paces itself with a `MediaLoop` at `format`'s frame period; the device
   * rate may differ from the codec's (resampled).
   */
  readonly audio: { readonly format: AudioFormat; readonly source?: AudioSource; readonly sink?: AudioSink };
  /** Media-loop drift compensation (default true). */
  readonly driftCompensation?: boolean;
  /**
   * How the media loop paces playback (see `firmware/media/loop/`). Default
   * `system`: resampled to the devices' measured clocks, ~85-90 ms added one
   * way at ptime 20. `device` cuts that to ~30-37 ms, but the jitter buffer
   * then accelerates during start-up and can shorten an in-band DTMF tone by
   * ~30 ms (the in-band DTMF test fails with it), so it is opt-in for now.
   */
  readonly pacing?: MediaLoopPacing;

  /** Default `sendrecv`. */
  readonly direction?: MediaDirection;
  /** What mute sends: encoded silence (default) or nothing. */
  readonly muteMode?: MuteMode;
  readonly jitterBuffer?: JitterBufferTuning;
  /** Period of `stats` events; default 1000 ms, 0 for none. */
  readonly statsIntervalMs?: number;
  readonly clock?: Clock;
  /** The `media` logger: the pipeline logs as `media.pipeline`, the session as `media.rtp` / `media.rtcp`. */
  readonly logger?: Logger;
}
