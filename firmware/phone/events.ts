/**
 * The phone's one typed event vocabulary. The UI, the logs, the control API
 * and the tests all listen to these; nothing else is emitted by the core.
 */
import type { TransportProtocol } from '../sip/transport/types.ts';

/**
 * Registration states of one line (see the diagram in
 * `firmware/sip/register/registration.ts`).
 */
export type RegistrationState = 'unregistered' | 'registering' | 'registered' | 'unregistering' | 'failed';

export interface RegistrationChanged {
  readonly type: 'registration.changed';
  readonly lineId: string;
  readonly state: RegistrationState;
  readonly previous: RegistrationState;
  /** Registered: the expiry the registrar granted. */
  readonly expiresSec?: number;
  /** Failed / retrying: why, in words a user can act on (`credentials rejected by realm "pbx.test"`). */
  readonly reason?: string;
  /** The SIP status that caused the change, when there was one. */
  readonly statusCode?: number;
  /** Failed: when the next attempt will be made. */
  readonly retryInMs?: number;
}

export interface SipListening {
  readonly type: 'sip.listening';
  readonly endpoints: readonly { readonly protocol: TransportProtocol; readonly address: string; readonly port: number }[];
}

export interface PhoneStarted {
  readonly type: 'phone.started';
  readonly version: string;
  readonly board: string;
  readonly lineIds: readonly string[];
}

export interface PhoneStopping {
  readonly type: 'phone.stopping';
  readonly reason: string;
}

export type PhoneEvent = RegistrationChanged | SipListening | PhoneStarted | PhoneStopping;
