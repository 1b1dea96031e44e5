import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBoard } from '../../../firmware/config/board.ts';
import { createBoardAudio } from '../../../firmware/config/board-audio.ts';
import { ConfigError } from '../../../firmware/config/load-config.ts';
import { silentLogger } from '../../../firmware/log/logger.ts';
import { FakeClock } from '../../support/fake-clock.ts';

const BOARD_DIR = fileURLToPath(new URL('../../../board-configs/', import.meta.url));

async function boardDir(files: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'deskphone-boards-'));
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, `${name}.json`), JSON.stringify(content));
  return dir;
}

test('the sim board uses the null audio driver at 16 kHz, 20 ms frames', async () => {
  const board = await loadBoard(BOARD_DIR, 'sim');
  assert.deepEqual(board.audio, { driver: 'null', sampleRateHz: 16000, frameMs: 20 });
  const audio = createBoardAudio(board.audio, { clock: new FakeClock(), logger: silentLogger });
  assert.equal(audio.name, 'null');
  assert.equal(audio.sink.format.frameSamples, 320);
});

test('an alsa board names its PCM devices; the driver is built without loading native modules', async () => {
  const dir = await boardDir({ pi: { name: 'pi', description: 'x', audio: { driver: 'alsa', captureDevice: 'plughw:CARD=Device', sampleRateHz: 8000 } } });
  const board = await loadBoard(dir, 'pi');
  assert.deepEqual(board.audio, { driver: 'alsa', captureDevice: 'plughw:CARD=Device', playbackDevice: 'default', sampleRateHz: 8000, frameMs: 20 });
  assert.equal(createBoardAudio(board.audio, { clock: new FakeClock(), logger: silentLogger }).name, 'alsa');
});

test('an unknown audio driver is refused naming the file, the path and the known drivers', async () => {
  const dir = await boardDir({ bad: { name: 'bad', description: 'x', audio: { driver: 'pulse' } } });
  await assert.rejects(loadBoard(dir, 'bad'), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /bad\.json is invalid/);
    assert.match(error.message, /- audio\.driver: unknown driver \(known: alsa, file, tone, null\)/);
    return true;
  });
});

test('a file driver without its input WAV is refused with the path', async () => {
  const dir = await boardDir({ f: { name: 'f', description: 'x', audio: { driver: 'file' } } });
  await assert.rejects(loadBoard(dir, 'f'), /audio\.inputPath: /);
});
