/** Command-line arguments of the firmware (`deskphone --config phone.json --board sim`). */
import { parseArgs } from 'node:util';

export interface CliOptions {
  readonly configFile: string | undefined;
  readonly board: string | undefined;
  readonly logLevel: string | undefined;
  readonly help: boolean;
  readonly version: boolean;
}

export const USAGE = `Usage: deskphone [--config <file>] [--board <name>] [--log-level <level>]

  --config <file>      JSON configuration file (see docs/configuration.md).
                       Without one the phone starts with defaults: simulated
                       board, no lines, SIP on port 5060 UDP and TCP.
  --board <name>       Board config from board-configs/ (overrides device.board).
  --log-level <level>  trace | debug | info | warn | error | silent
  --version            Print the firmware version and exit.
  --help               Print this help and exit.
`;

export class CliError extends Error {
  override readonly name = 'CliError';
}

export function parseCli(argv: readonly string[]): CliOptions {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        config: { type: 'string', short: 'c' },
        board: { type: 'string', short: 'b' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    return {
      configFile: values.config,
      board: values.board,
      logLevel: values['log-level'],
      help: values.help ?? false,
      version: values.version ?? false,
    };
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
}
