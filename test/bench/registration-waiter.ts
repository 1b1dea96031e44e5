/**
 * Collects a `Registration`'s state changes and lets a benchmark await the
 * next settled one (registered or failed), with a deadline.
 */
import type { RegistrationChanged } from '../../firmware/phone/events.ts';

export class RegistrationWaiter {
  private pending: { resolve: (event: RegistrationChanged) => void } | undefined;
  private settled: RegistrationChanged[] = [];

  /** Pass as `onChange` of the Registration. */
  readonly onChange = (event: RegistrationChanged): void => {
    if (event.state !== 'registered' && event.state !== 'failed') return;
    if (this.pending) {
      const { resolve } = this.pending;
      this.pending = undefined;
      resolve(event);
    } else {
      this.settled.push(event);
    }
  };

  /** The next `registered` or `failed` event; rejects after `timeoutMs`. */
  next(timeoutMs: number): Promise<RegistrationChanged> {
    const queued = this.settled.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        reject(new Error(`no registration outcome within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending = {
        resolve: (event) => {
          clearTimeout(timer);
          resolve(event);
        },
      };
    });
  }
}
