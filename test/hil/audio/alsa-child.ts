/**
 * Child process for the ALSA tests: alsa-lib reads ALSA_CONFIG_PATH once,
 * when it initialises, so each scenario runs in its own process with the
 * test configuration. Reads the scenario from DESKPHONE_ALSA_TEST (JSON),
 * prints one JSON result line on stdout, exits 0 unless something unexpected
 * happened.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { AudioDeviceError, audioFormat, createAudioDriver } from '../../../hal/audio/index.ts';

interface Scenario {
  readonly mode: 'play' | 'capture' | 'start-sink' | 'start-source' | 'import-index';
  readonly device?: string;
  /** play: raw S16 file to play; capture: where to write the captured samples. */
  readonly rawPath?: string;
  readonly frames?: number;
}

const scenario = JSON.parse(process.env.DESKPHONE_ALSA_TEST ?? '{}') as Scenario;
const format = audioFormat({ sampleRateHz: 8000 });
const report = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value)}\n`);
};
const errorReport = (error: unknown): unknown =>
  error instanceof AudioDeviceError ? { ok: false, kind: error.kind, device: error.device, message: error.message } : { ok: false, unexpected: String(error) };

const driver = createAudioDriver('alsa', { format, alsa: { captureDevice: scenario.device ?? 'default', playbackDevice: scenario.device ?? 'default' } });

switch (scenario.mode) {
  case 'import-index':
    {
    const loaded = (process.report.getReport() as { sharedObjects?: string[] }).sharedObjects ?? [];
    report({ ok: true, natives: loaded.filter((path) => path.endsWith('.node')) });
  }
    break;
  case 'start-sink':
  case 'start-source': {
    const stream = scenario.mode === 'start-sink' ? driver.sink : driver.source;
    try {
      await stream.start();
      await stream.stop();
      report({ ok: true });
    } catch (error) {
      report(errorReport(error));
    }
    break;
  }
  case 'play': {
    const bytes = readFileSync(scenario.rawPath!);
    const samples = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
    const underruns: string[] = [];
    driver.sink.on('underrun', (e) => underruns.push(e.message));
    try {
      await driver.sink.start();
      for (let offset = 0; offset < samples.length; offset += format.frameSamples) {
        driver.sink.write(samples.slice(offset, offset + format.frameSamples));
        await new Promise((resolve) => setTimeout(resolve, 5)); // faster than real time: no underrun
      }
      await driver.sink.stop();
      report({ ok: true, frames: samples.length / format.frameSamples, underruns });
    } catch (error) {
      report(errorReport(error));
    }
    break;
  }
  case 'capture': {
    const wanted = scenario.frames ?? 10;
    const frames: Int16Array[] = [];
    let done: () => void = () => undefined;
    const enough = new Promise<void>((resolve) => (done = resolve));
    driver.source.on('frame', (e) => {
      if (frames.length < wanted) frames.push(e.samples);
      if (frames.length === wanted) done();
    });
    try {
      await driver.source.start();
      await enough;
      await driver.source.stop();
      const all = new Int16Array(wanted * format.frameSamples);
      frames.forEach((frame, i) => all.set(frame, i * format.frameSamples));
      writeFileSync(scenario.rawPath!, new Uint8Array(all.buffer));
      report({ ok: true, frames: frames.length, lengths: [...new Set(frames.map((f) => f.length))] });
    } catch (error) {
      report(errorReport(error));
    }
    break;
  }
}
