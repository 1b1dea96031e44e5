import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { AudioDeviceError } from '../audio-device-error.ts';
import { NATIVE_MODULE_ADVICE } from './load-native-module.ts';

export interface ProbePlaybackDeviceOptions {
  /** ALSA PCM name to open. */
  readonly device: string;
  readonly sampleRateHz: number;
  /** Package to probe with; default `speaker`. */
  readonly specifier?: string;
  /** Message prefix, e.g. `audio playback device "default"`. */
  readonly label: string;
  /** Give up after this long. Default 10 000 ms. */
  readonly timeoutMs?: number;
}

/**
 * Runs in the probe child (plain CommonJS, no tsx). Loads `speaker` (whose
 * native init opens ALSA's "default" PCM and calls abort() when it cannot)
 * and opens the configured device, then reports one JSON line.
 */
const PROBE_SCRIPT = `
const { modulePath, device, sampleRateHz } = JSON.parse(process.env.DESKPHONE_ALSA_PROBE);
const report = (result) => { process.stdout.write(JSON.stringify(result) + '\\n'); };
let Speaker;
try { Speaker = require(modulePath); }
catch (error) { report({ ok: false, stage: 'load', message: String((error && error.message) || error) }); process.exit(0); }
const speaker = new Speaker({ channels: 1, bitDepth: 16, sampleRate: sampleRateHz, signed: true, device });
try { speaker._open(); }
catch (error) { report({ ok: false, stage: 'open', message: String((error && error.message) || error) }); process.exit(0); }
speaker.close(false);
report({ ok: true });
`;

interface ProbeReport {
  readonly ok: boolean;
  readonly stage?: 'load' | 'open';
  readonly message?: string;
}

/** The last line alsa-lib printed, which usually names the cause ("Unknown PCM nope"). */
function alsaReason(stderr: string): string {
  const lines = stderr.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
  const alsa = lines.filter((line) => line.startsWith('ALSA lib'));
  const last = alsa.at(-1) ?? lines.filter((line) => line.includes('cannot open device')).at(-1) ?? lines.at(-1) ?? '';
  return last.replace(/^ALSA lib [^ ]+ /, '').slice(0, 200);
}

function parseReport(stdout: string): ProbeReport | undefined {
  for (const line of stdout.split('\n').reverse()) {
    try {
      const value: unknown = JSON.parse(line);
      if (typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean') return value as ProbeReport;
    } catch {
      // not the report line
    }
  }
  return undefined;
}

/**
 * Checks in a child process that `speaker` can be loaded and the configured
 * playback device opened, so that a machine without a usable ALSA default
 * PCM or without the configured card gets our clear `AudioDeviceError`
 * instead of `speaker` aborting the whole phone. Resolves when the device is
 * usable. The child inherits the environment (ALSA_CONFIG_PATH included).
 */
export async function probePlaybackDevice(options: ProbePlaybackDeviceOptions): Promise<void> {
  const specifier = options.specifier ?? 'speaker';
  const { device, label } = options;
  let modulePath: string;
  try {
    modulePath = createRequire(import.meta.url).resolve(specifier);
  } catch (error) {
    throw new AudioDeviceError('module-missing', device, `${label}: the optional native module "${specifier}" is not installed; ${NATIVE_MODULE_ADVICE}`, {
      cause: error,
    });
  }
  const child = spawn(process.execPath, ['-e', PROBE_SCRIPT], {
    env: { ...process.env, DESKPHONE_ALSA_PROBE: JSON.stringify({ modulePath, device, sampleRateHz: options.sampleRateHz }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timeoutMs = options.timeoutMs ?? 10_000;
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null } | 'timeout'>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve('timeout');
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
  if (exit === 'timeout') {
    throw new AudioDeviceError('device-missing', device, `${label}: opening the device did not finish within ${timeoutMs} ms (device busy?)`);
  }
  const report = parseReport(stdout);
  if (report?.ok) return;
  if (report?.stage === 'load') {
    throw new AudioDeviceError('module-missing', device, `${label}: the optional native module "${specifier}" cannot be loaded (${report.message ?? ''}); ${NATIVE_MODULE_ADVICE}`);
  }
  if (report?.stage === 'open') {
    throw new AudioDeviceError('device-missing', device, `${label}: device missing or cannot be opened (ALSA: ${alsaReason(stderr) || report.message})`);
  }
  // No report: the child died while loading speaker, which opens ALSA's "default" PCM and aborts without one.
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  throw new AudioDeviceError(
    'device-missing',
    device,
    `${label}: ALSA has no usable "default" PCM (ALSA: ${alsaReason(stderr) || 'no message'}); ` +
      `the "${specifier}" module opens it when it loads and aborts the process without one (probe ${how}). ` +
      'Define pcm.!default in /etc/asound.conf or ~/.asoundrc (e.g. pointing at the configured card) or check the card is connected.',
  );
}
