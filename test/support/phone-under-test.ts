/**
 * Runs the real phone core in the test process: real SIP stack, real
 * sockets on 127.0.0.1 (free ports, never 5060), log records kept in memory.
 */
import { validateConfig } from '../../firmware/config/load-config.ts';
import type { ConfigInput } from '../../firmware/config/schema.ts';
import { systemClock } from '../../firmware/core/clock.ts';
import { createLogger, MemorySink, type LogLevel } from '../../firmware/log/logger.ts';
import type { PhoneEvent, RegistrationChanged, RegistrationState } from '../../firmware/phone/events.ts';
import { Phone } from '../../firmware/phone/phone.ts';
import { findFreePort } from './free-port.ts';

export interface PhoneUnderTest {
  readonly phone: Phone;
  readonly port: number;
  readonly events: PhoneEvent[];
  readonly log: MemorySink;
  /** Resolves with the first registration event of `lineId` in `state` after `sinceIndex` (default: any so far). */
  waitFor(lineId: string, state: RegistrationState, options?: { timeoutMs?: number; sinceIndex?: number }): Promise<RegistrationChanged>;
  registrationEvents(lineId: string): RegistrationChanged[];
  stop(): Promise<void>;
}

export async function startPhoneUnderTest(config: ConfigInput, options: { logLevel?: LogLevel } = {}): Promise<PhoneUnderTest> {
  const port = await findFreePort();
  const parsed = validateConfig(
    { ...config, sip: { listenAddress: '127.0.0.1', udpPort: port, tcpPort: port, ...config.sip } },
    'test config',
  );
  const log = new MemorySink();
  const logger = createLogger('', { sink: log, level: options.logLevel ?? 'debug' });
  const events: PhoneEvent[] = [];
  const waiters = new Set<() => void>();
  const phone = await Phone.start({
    config: parsed,
    boardName: 'sim',
    version: 'test',
    clock: systemClock,
    logger,
    onEvent: (event) => {
      events.push(event);
      for (const wake of [...waiters]) wake();
    },
  });
  const registrationEvents = (lineId: string): RegistrationChanged[] =>
    events.filter((e): e is RegistrationChanged => e.type === 'registration.changed' && e.lineId === lineId);

  return {
    phone,
    port,
    events,
    log,
    registrationEvents,
    waitFor(lineId, state, { timeoutMs = 10_000, sinceIndex = 0 } = {}) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = registrationEvents(lineId).slice(sinceIndex).find((e) => e.state === state);
          if (!found) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          const seen = registrationEvents(lineId).map((e) => `${e.state}${e.reason ? ` (${e.reason})` : ''}`);
          const warnings = log.records.filter((r) => r.level === 'warn' || r.level === 'error').slice(-5).map((r) => `${r.category}: ${r.msg} ${JSON.stringify(r.fields)}`);
          reject(new Error(`line ${lineId} not ${state} within ${timeoutMs} ms; events: ${seen.join(' → ') || 'none'}; last warnings:\n${warnings.join('\n')}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    stop: () => phone.stop('test over'),
  };
}
