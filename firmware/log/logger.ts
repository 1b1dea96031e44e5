/**
 * Structured logger with categories (`sip.transport`, `sip.transaction.ict`, ...).
 *
 * Library code never writes to the console: it asks for a `Logger` for its
 * category and emits records; the composition root decides where records go
 * (JSON lines on stderr by default, a memory sink in tests).
 */

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';

export const LOG_LEVEL_RANK: Readonly<Record<LogLevel, number>> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  silent: 100,
};

export type LogFields = Readonly<Record<string, unknown>>;

export interface LogRecord {
  readonly timeMs: number;
  readonly level: Exclude<LogLevel, 'silent'>;
  readonly category: string;
  readonly msg: string;
  readonly fields: LogFields;
}

/** Where records end up. */
export interface LogSink {
  write(record: LogRecord): void;
}

export interface Logger {
  readonly category: string;
  trace(msg: string, fields?: LogFields): void;
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger for a sub-category: `sip` → `sip.transport`. */
  child(subCategory: string): Logger;
  isEnabled(level: LogLevel): boolean;
}

export interface LoggerOptions {
  readonly sink: LogSink;
  /** Minimum level; a per-category override wins (longest matching prefix). */
  readonly level: LogLevel;
  readonly categoryLevels?: Readonly<Record<string, LogLevel>>;
  readonly nowMs?: () => number;
}

class CategoryLogger implements Logger {
  private readonly minRank: number;

  constructor(
    readonly category: string,
    private readonly options: LoggerOptions,
  ) {
    this.minRank = LOG_LEVEL_RANK[levelFor(category, options)];
  }

  trace(msg: string, fields?: LogFields): void { this.emit('trace', msg, fields); }
  debug(msg: string, fields?: LogFields): void { this.emit('debug', msg, fields); }
  info(msg: string, fields?: LogFields): void { this.emit('info', msg, fields); }
  warn(msg: string, fields?: LogFields): void { this.emit('warn', msg, fields); }
  error(msg: string, fields?: LogFields): void { this.emit('error', msg, fields); }

  child(subCategory: string): Logger {
    return new CategoryLogger(this.category ? `${this.category}.${subCategory}` : subCategory, this.options);
  }

  isEnabled(level: LogLevel): boolean {
    return LOG_LEVEL_RANK[level] >= this.minRank;
  }

  private emit(level: Exclude<LogLevel, 'silent'>, msg: string, fields: LogFields | undefined): void {
    if (LOG_LEVEL_RANK[level] < this.minRank) return;
    const nowMs = this.options.nowMs ?? Date.now;
    this.options.sink.write({ timeMs: nowMs(), level, category: this.category, msg, fields: fields ?? {} });
  }
}

function levelFor(category: string, options: LoggerOptions): LogLevel {
  let best: LogLevel = options.level;
  let bestLength = -1;
  for (const [prefix, level] of Object.entries(options.categoryLevels ?? {})) {
    const matches = category === prefix || category.startsWith(`${prefix}.`);
    if (matches && prefix.length > bestLength) {
      best = level;
      bestLength = prefix.length;
    }
  }
  return best;
}

export function createLogger(category: string, options: LoggerOptions): Logger {
  return new CategoryLogger(category, options);
}

/** Writes one JSON object per line to a writable stream (stderr by default). */
export class JsonLineSink implements LogSink {
  constructor(private readonly stream: { write(chunk: string): unknown } = process.stderr) {}

  write(record: LogRecord): void {
    const line: Record<string, unknown> = {
      time: new Date(record.timeMs).toISOString(),
      level: record.level,
      category: record.category,
      msg: record.msg,
    };
    for (const [key, value] of Object.entries(record.fields)) {
      if (!(key in line)) line[key] = value instanceof Error ? { name: value.name, message: value.message } : value;
    }
    this.stream.write(`${JSON.stringify(line, jsonSafe)}\n`);
  }
}

/** Keeps records in memory: for tests and for the status screen's recent-errors list. */
export class MemorySink implements LogSink {
  readonly records: LogRecord[] = [];

  constructor(private readonly maxRecords = 10_000) {}

  write(record: LogRecord): void {
    this.records.push(record);
    if (this.records.length > this.maxRecords) this.records.shift();
  }

  find(predicate: (record: LogRecord) => boolean): LogRecord | undefined {
    return this.records.find(predicate);
  }
}

/** A logger that drops everything (the default for library objects created without one). */
export const silentLogger: Logger = createLogger('', { sink: { write: () => undefined }, level: 'silent' });

function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  return value;
}
