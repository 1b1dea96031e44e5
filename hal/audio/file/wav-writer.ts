import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

export interface WavWriterOptions {
  readonly path: string;
  readonly sampleRateHz: number;
  /**
   * How often the header's sizes are rewritten while recording, so a crash
   * leaves a readable file missing at most this much audio. Counted in
   * samples written (not time), default one second's worth.
   */
  readonly headerUpdateSamples?: number;
}

const HEADER_BYTES = 44;

/** A canonical 44-byte PCM 16-bit mono header for `dataBytes` of samples. */
export function wavHeader(sampleRateHz: number, dataBytes: number): Uint8Array {
  const header = new Uint8Array(HEADER_BYTES);
  const view = new DataView(header.buffer);
  const ascii = (offset: number, text: string): void => {
    for (let i = 0; i < text.length; i++) header[offset + i] = text.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, sampleRateHz, true);
  view.setUint32(28, sampleRateHz * 2, true); // byte rate
  view.setUint16(32, 2, true); // block align
  view.setUint16(34, 16, true); // bits per sample
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  return header;
}

/**
 * Writes a 16-bit mono PCM WAV file incrementally with synchronous appends.
 * The header is written first with size 0 and rewritten in place every
 * `headerUpdateSamples` samples and on `close()` (then fsync'd), so the file
 * is a valid WAV at any moment after a header update: a crash loses at most
 * the audio since the last update (readers that trust the header), not the file.
 */
export class WavWriter {
  private readonly fd: number;
  private dataBytes = 0;
  private samplesSinceHeader = 0;
  private closed = false;

  constructor(private readonly options: WavWriterOptions) {
    this.fd = openSync(options.path, 'w');
    writeSync(this.fd, wavHeader(options.sampleRateHz, 0), 0, HEADER_BYTES, 0);
  }

  append(samples: Int16Array): void {
    if (this.closed) throw new Error(`WAV file "${this.options.path}" is closed`);
    const bytes = new Uint8Array(samples.length * 2);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, samples[i] as number, true);
    writeSync(this.fd, bytes, 0, bytes.length, HEADER_BYTES + this.dataBytes);
    this.dataBytes += bytes.length;
    this.samplesSinceHeader += samples.length;
    if (this.samplesSinceHeader >= (this.options.headerUpdateSamples ?? this.options.sampleRateHz)) this.updateHeader();
  }

  get samplesWritten(): number {
    return this.dataBytes / 2;
  }

  /** Finalises the header, flushes to disk, closes. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.updateHeader();
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.closed = true;
  }

  private updateHeader(): void {
    writeSync(this.fd, wavHeader(this.options.sampleRateHz, this.dataBytes), 0, HEADER_BYTES, 0);
    this.samplesSinceHeader = 0;
  }
}
