/**
 * Board configs (`board-configs/<name>.json`) say what hardware is attached
 * where, never how it behaves. Today: the audio device (driver by name, ALSA
 * PCM names); keypad, LCD and LEDs join with their drivers.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod/mini';
import './zod-locale.ts';
import { ConfigError, formatPath } from './load-config.ts';

const sampleRateHz = z.union([z.literal(8000), z.literal(16000), z.literal(48000)]);

/** Common to every audio driver: the rate and frame the device runs at. */
const audioCommon = {
  sampleRateHz: z._default(sampleRateHz, 16000),
  frameMs: z._default(z.number().check(z.int(), z.minimum(5), z.maximum(60)), 20),
};

/** The audio device: a driver chosen by name (`hal/audio`), with its wiring. */
export const boardAudioSchema = z.discriminatedUnion('driver', [
  z.strictObject({
    driver: z.literal('alsa'),
    /** ALSA PCM names, e.g. `plughw:CARD=Device`. */
    captureDevice: z._default(z.string().check(z.minLength(1)), 'default'),
    playbackDevice: z._default(z.string().check(z.minLength(1)), 'default'),
    periodMs: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(100))),
    ...audioCommon,
  }),
  z.strictObject({
    driver: z.literal('file'),
    inputPath: z.string().check(z.minLength(1)),
    outputPath: z.optional(z.string().check(z.minLength(1))),
    loop: z._default(z.boolean(), true),
    ...audioCommon,
  }),
  z.strictObject({
    driver: z.literal('tone'),
    frequencyHz: z._default(z.number().check(z.minimum(20), z.maximum(20_000)), 1000),
    levelDbfs: z._default(z.number().check(z.maximum(0)), -10),
    ...audioCommon,
  }),
  z.strictObject({ driver: z.literal('null'), ...audioCommon }),
]);

export const boardSchema = z.strictObject({
  name: z.string().check(z.regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and "-"')),
  description: z.string(),
  audio: z._default(boardAudioSchema, { driver: 'null', sampleRateHz: 16000, frameMs: 20 }),
});

export type BoardAudioConfig = z.infer<typeof boardAudioSchema>;

export type BoardConfig = z.infer<typeof boardSchema>;

/** Names of the boards in `dir` (file names without `.json`). */
export async function listBoards(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
  } catch {
    return [];
  }
}

export async function loadBoard(dir: string, name: string): Promise<BoardConfig> {
  const file = join(dir, `${name}.json`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    const known = await listBoards(dir);
    throw new ConfigError(file, [{ path: '', reason: `unknown board "${name}" (known boards: ${known.join(', ') || 'none found'})` }]);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(file, [{ path: '', reason: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` }]);
  }
  const result = boardSchema.safeParse(document);
  if (!result.success) {
    throw new ConfigError(file, result.error.issues.map((i) => ({ path: formatPath(i.path), reason: describeIssue(i) })));
  }
  if (result.data.name !== name) {
    throw new ConfigError(file, [{ path: 'name', reason: `is "${result.data.name}" but the file is named ${name}.json` }]);
  }
  return result.data;
}

/** zod says "Invalid input" for an unknown discriminator; name the choices instead. */
function describeIssue(issue: { message: string; code?: string; options?: unknown }): string {
  if (issue.code === 'invalid_union' && Array.isArray(issue.options)) {
    return `unknown driver (known: ${issue.options.map(String).join(', ')})`;
  }
  return issue.message;
}
