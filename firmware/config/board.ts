/**
 * Board configs (`board-configs/<name>.json`) say what hardware is attached
 * where. At this stage a board file carries only its name and description;
 * the device section (keypad, LCD, LEDs, audio) arrives with the HAL.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod/mini';
import './zod-locale.ts';
import { ConfigError, formatPath } from './load-config.ts';

export const boardSchema = z.strictObject({
  name: z.string().check(z.regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and "-"')),
  description: z.string(),
});

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
    throw new ConfigError(file, result.error.issues.map((i) => ({ path: formatPath(i.path), reason: i.message })));
  }
  if (result.data.name !== name) {
    throw new ConfigError(file, [{ path: 'name', reason: `is "${result.data.name}" but the file is named ${name}.json` }]);
  }
  return result.data;
}
