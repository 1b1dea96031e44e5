/**
 * Reads and validates the configuration file. An invalid file is refused as a
 * whole, with every problem listed as `path: reason`: the phone never starts
 * half-configured.
 */
import { readFile } from 'node:fs/promises';
import { configSchema, crossFieldProblems, type PhoneConfig } from './schema.ts';

export interface ConfigProblem {
  /** JSON path in dotted form, e.g. `lines[1].auth.password`; empty for the whole document. */
  readonly path: string;
  readonly reason: string;
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(
      `configuration file ${file} is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p.path || '(document)'}: ${p.reason}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** Validates an already-parsed document. `file` is only used in messages. */
export function validateConfig(document: unknown, file: string): PhoneConfig {
  const result = configSchema.safeParse(document);
  const issues = [...(result.success ? [] : result.error.issues), ...crossFieldProblems(document)];
  if (result.success && issues.length === 0) return result.data;
  throw new ConfigError(file, issues.map((issue) => ({ path: formatPath(issue.path), reason: issue.message })));
}

/** Parses JSON text, reporting a syntax error with its line and column. */
export function parseConfigText(text: string, file: string): PhoneConfig {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(file, [{ path: '', reason: describeJsonError(error, text) }]);
  }
  return validateConfig(document, file);
}

export async function loadConfigFile(file: string): Promise<PhoneConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' : `cannot be read (${code ?? String(error)})`;
    throw new ConfigError(file, [{ path: '', reason }]);
  }
  return parseConfigText(text, file);
}

/** The configuration used when no file is given: the simulated board, no lines, SIP on 5060 UDP+TCP. */
export function defaultConfig(): PhoneConfig {
  return validateConfig({}, '(defaults)');
}

function describeJsonError(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /position (\d+)/.exec(message);
  if (!position) return `not valid JSON: ${message}`;
  const offset = Number(position[1]);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `not valid JSON at line ${line}, column ${column}: ${message.replace(/ in JSON at position \d+.*$/, '')}`;
}
