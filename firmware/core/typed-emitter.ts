/**
 * A minimal typed event emitter for one discriminated union of events:
 * listeners receive exactly the variant they subscribed to. A listener that
 * throws is reported to `onListenerError` and never stops the others (one
 * broken UI widget must not stop the SIP stack).
 */

type EventOf<E extends { type: string }, T extends E['type']> = Extract<E, { type: T }>;

export type Unsubscribe = () => void;

export class TypedEmitter<E extends { type: string }> {
  private readonly byType = new Map<string, Set<(event: E) => void>>();
  private readonly any = new Set<(event: E) => void>();

  constructor(private readonly onListenerError: (error: unknown, event: E) => void = () => undefined) {}

  on<T extends E['type']>(type: T, listener: (event: EventOf<E, T>) => void): Unsubscribe {
    let set = this.byType.get(type);
    if (!set) {
      set = new Set();
      this.byType.set(type, set);
    }
    const wrapped = listener as (event: E) => void;
    set.add(wrapped);
    return () => set.delete(wrapped);
  }

  /** Every event, in emission order. */
  onAny(listener: (event: E) => void): Unsubscribe {
    this.any.add(listener);
    return () => this.any.delete(listener);
  }

  /** Resolves with the first event of `type` that satisfies `predicate`. */
  once<T extends E['type']>(type: T, predicate: (event: EventOf<E, T>) => boolean = () => true): Promise<EventOf<E, T>> {
    return new Promise((resolve) => {
      const off = this.on(type, (event) => {
        if (!predicate(event)) return;
        off();
        resolve(event);
      });
    });
  }

  emit(event: E): void {
    for (const listener of [...(this.byType.get(event.type) ?? []), ...this.any]) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError(error, event);
      }
    }
  }
}
