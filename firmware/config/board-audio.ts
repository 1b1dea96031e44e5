/**
 * Turns the board's audio section into a driver from `hal/audio` (chosen by
 * name; nothing is opened and no native module is loaded here).
 */
import { audioFormat, createAudioDriver, type AudioDriver } from '../../hal/audio/index.ts';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../log/logger.ts';
import type { BoardAudioConfig } from './board.ts';

export function createBoardAudio(audio: BoardAudioConfig, context: { clock: Clock; logger: Logger }): AudioDriver {
  const format = audioFormat({ sampleRateHz: audio.sampleRateHz, frameMs: audio.frameMs }, audio.driver);
  const common = { format, clock: context.clock, logger: context.logger };
  switch (audio.driver) {
    case 'alsa':
      return createAudioDriver('alsa', {
        ...common,
        alsa: {
          captureDevice: audio.captureDevice,
          playbackDevice: audio.playbackDevice,
          ...(audio.periodMs === undefined ? {} : { periodMs: audio.periodMs }),
        },
      });
    case 'file':
      return createAudioDriver('file', {
        ...common,
        file: { inputPath: audio.inputPath, loop: audio.loop, ...(audio.outputPath === undefined ? {} : { outputPath: audio.outputPath }) },
      });
    case 'tone':
      return createAudioDriver('tone', { ...common, tone: { frequencyHz: audio.frequencyHz, levelDbfs: audio.levelDbfs } });
    case 'null':
      return createAudioDriver('null', common);
  }
}
