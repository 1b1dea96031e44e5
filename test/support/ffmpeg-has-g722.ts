import { spawnSync } from 'node:child_process';

/** True when an `ffmpeg` executable with the G.722 codec is on the PATH. */
export function ffmpegHasG722(): boolean {
  const result = spawnSync('ffmpeg', ['-hide_banner', '-codecs'], { encoding: 'utf8' });
  return result.status === 0 && /\bg722\b/.test(result.stdout);
}
