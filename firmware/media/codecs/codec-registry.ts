/**
 * Codecs by SDP encoding name and clock rate (RFC 4566 §6 `a=rtpmap:<pt>
 * <name>/<clock rate>[/<channels>]`), never by payload type number: dynamic
 * payload types mean different things in different sessions, and even static
 * ones are confirmed by the rtpmap when present (RFC 3264 §5.1).
 */
import type { CodecDescriptor, CodecFactory } from '../types.ts';
import { codecDescriptors } from './codec-descriptors.ts';
import { createG711Factory } from './g711-codec.ts';
import { createG722Factory } from './g722-codec.ts';

/** Builds a factory for a descriptor (which may carry a negotiated payload type). */
export type FactoryMaker = (descriptor: CodecDescriptor) => CodecFactory;

export interface CodecRegistration {
  readonly descriptor: CodecDescriptor;
  /** null for payload formats that are not audio codecs (telephone-event, CN). */
  readonly makeFactory: FactoryMaker | null;
}

export interface FoundCodec {
  /** The registered descriptor, with the negotiated payload type when one was given. */
  readonly descriptor: CodecDescriptor;
  /** null for telephone-event and CN. */
  readonly factory: CodecFactory | null;
}

export interface FindCodecOptions {
  /** RFC 4566 §6: the rtpmap's encoding parameters; absent means 1 channel. */
  readonly channels?: number;
  /** The payload type negotiated in SDP, replacing the descriptor's default. */
  readonly payloadType?: number;
}

export interface CodecRegistryOptions {
  /** Opus factory maker, from `loadOpusCodec()`, when the optional Opus package is installed. */
  readonly opus?: FactoryMaker;
  /** Further registrations, e.g. from tests. */
  readonly extra?: readonly CodecRegistration[];
}

const keyOf = (name: string, rtpClockRateHz: number, channels: number): string => `${name.toLowerCase()}/${rtpClockRateHz}/${channels}`;

export class CodecRegistry {
  readonly #byKey = new Map<string, CodecRegistration>();

  constructor(registrations: readonly CodecRegistration[]) {
    for (const registration of registrations) this.register(registration);
  }

  register(registration: CodecRegistration): void {
    const { name, rtpClockRateHz, channels } = registration.descriptor;
    this.#byKey.set(keyOf(name, rtpClockRateHz, channels), registration);
  }

  /** Encoding names compare case-insensitively (RFC 4855 §3: media subtype names are case-insensitive). */
  find(name: string, rtpClockRateHz: number, options: FindCodecOptions = {}): FoundCodec | undefined {
    const registration = this.#byKey.get(keyOf(name, rtpClockRateHz, options.channels ?? 1));
    if (registration === undefined) return undefined;
    const payloadType = options.payloadType;
    if (payloadType !== undefined && (!Number.isInteger(payloadType) || payloadType < 0 || payloadType > 127)) {
      throw new RangeError(`payload type ${payloadType} is outside 0..127`);
    }
    const descriptor =
      payloadType === undefined || payloadType === registration.descriptor.payloadType
        ? registration.descriptor
        : { ...registration.descriptor, payloadType };
    return { descriptor, factory: registration.makeFactory?.(descriptor) ?? null };
  }

  /** Every registered descriptor, in registration order (a sensible offer order). */
  descriptors(): CodecDescriptor[] {
    return [...this.#byKey.values()].map((registration) => registration.descriptor);
  }
}

/** The built-in codecs, in a sensible offer order: (Opus when given,) G.722, G.711 μ-law/A-law, telephone-event, CN. */
export function createCodecRegistry(options: CodecRegistryOptions = {}): CodecRegistry {
  const registrations: CodecRegistration[] = [];
  if (options.opus !== undefined) registrations.push({ descriptor: codecDescriptors.opus, makeFactory: options.opus });
  registrations.push(
    { descriptor: codecDescriptors.g722, makeFactory: createG722Factory },
    { descriptor: codecDescriptors.pcmu, makeFactory: (descriptor) => createG711Factory({ law: 'mu-law', descriptor }) },
    { descriptor: codecDescriptors.pcma, makeFactory: (descriptor) => createG711Factory({ law: 'a-law', descriptor }) },
    { descriptor: codecDescriptors.telephoneEvent, makeFactory: null },
    { descriptor: codecDescriptors.comfortNoise, makeFactory: null },
    ...(options.extra ?? []),
  );
  return new CodecRegistry(registrations);
}
