/**
 * The composition root: reads the command line and the configuration,
 * chooses the board, builds the phone, and handles shutdown. The only place
 * that names concrete classes and writes to the process's own streams.
 *
 *   deskphone [--config <file>] [--board <name>] [--log-level <level>]
 */
import { fileURLToPath } from 'node:url';
import { CliError, parseCli, USAGE } from './cli/args.ts';
import { loadBoard } from './config/board.ts';
import { createBoardAudio } from './config/board-audio.ts';
import { ConfigError, defaultConfig, loadConfigFile } from './config/load-config.ts';
import { systemClock } from './core/clock.ts';
import { createLogger, JsonLineSink, LOG_LEVEL_RANK, type LogLevel } from './log/logger.ts';
import type { PhoneEvent } from './phone/events.ts';
import { Phone } from './phone/phone.ts';
import { FIRMWARE_VERSION } from './version.ts';

/** board-configs/ sits next to firmware/ and next to dist/ alike. */
const BOARD_DIR = process.env.DESKPHONE_BOARD_DIR ?? fileURLToPath(new URL('../board-configs/', import.meta.url));

function fail(message: string, exitCode = 2): never {
  process.stderr.write(`deskphone: ${message}\n`);
  process.exit(exitCode);
}

function isLogLevel(value: string): value is LogLevel {
  return Object.hasOwn(LOG_LEVEL_RANK, value);
}

async function main(): Promise<void> {
  let cli;
  try {
    cli = parseCli(process.argv.slice(2));
  } catch (error) {
    if (error instanceof CliError) fail(`${error.message}\n\n${USAGE}`);
    throw error;
  }
  if (cli.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (cli.version) {
    process.stdout.write(`deskphone ${FIRMWARE_VERSION}\n`);
    return;
  }

  let config;
  try {
    config = cli.configFile === undefined ? defaultConfig() : await loadConfigFile(cli.configFile);
  } catch (error) {
    if (error instanceof ConfigError) fail(`${error.message}\nThe phone was not started.`);
    throw error;
  }
  if (cli.logLevel !== undefined && !isLogLevel(cli.logLevel)) fail(`--log-level: unknown level "${cli.logLevel}"\n\n${USAGE}`);

  const logger = createLogger('', {
    sink: new JsonLineSink(process.stderr),
    level: cli.logLevel ?? config.log.level,
    categoryLevels: config.log.categories,
  });
  const log = logger.child('phone');

  const boardName = cli.board ?? config.device.board;
  let board;
  try {
    board = await loadBoard(BOARD_DIR, boardName);
  } catch (error) {
    if (error instanceof ConfigError) fail(`${error.message}\nThe phone was not started.`);
    throw error;
  }
  const audio = createBoardAudio(board.audio, { clock: systemClock, logger: logger.child('hal.audio') });

  const onEvent = (event: PhoneEvent): void => {
    switch (event.type) {
      case 'registration.changed': {
        const { type: _type, ...fields } = event;
        if (event.state === 'failed') log.warn(`line ${event.lineId} ${event.state}`, fields);
        else log.info(`line ${event.lineId} ${event.state}`, fields);
        return;
      }
      case 'sip.listening':
        log.info('listening for SIP', { endpoints: event.endpoints.map((e) => `${e.protocol}:${e.address}:${e.port}`) });
        return;
      case 'phone.started':
        log.info('phone started', { version: event.version, board: event.board, lines: event.lineIds });
        return;
      case 'phone.stopping':
        log.info('phone stopping', { reason: event.reason });
        return;
    }
  };

  let phone: Phone;
  try {
    phone = await Phone.start({ config, boardName, audio, version: FIRMWARE_VERSION, clock: systemClock, logger, onEvent });
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error), 1);
  }

  let signals = 0;
  const shutdown = (signal: string) => {
    signals++;
    if (signals > 1) fail(`second ${signal}: exiting without unregistering`, 130);
    void phone.stop(`signal ${signal}`).then(
      () => process.exit(0),
      (error: unknown) => {
        log.error('shutdown failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

process.on('uncaughtException', (error) => {
  process.stderr.write(`deskphone: internal error: ${error.stack ?? String(error)}\n`);
  process.exit(70);
});

await main();
