import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface FindBinaryOptions {
  /** Executable name, e.g. 'kamailio'. */
  readonly name: string;
  /** Debian package that ships it, named in the error message. */
  readonly debianPackage: string;
}

// Debian installs daemons (kamailio, kamcmd) in /usr/sbin, which is not on a
// regular user's PATH: look there too.
const EXTRA_DIRS = ['/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/**
 * Absolute path of a third-party executable the integration tests need.
 * Throws an error telling to run `npm run test:setup` when it is missing.
 */
export function findBinary(options: FindBinaryOptions): string {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean).concat(EXTRA_DIRS);
  for (const dir of dirs) {
    const candidate = join(dir, options.name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error(
    `'${options.name}' (Debian package ${options.debianPackage}) is not installed: ` +
      'run `npm run test:setup` (bash test/setup.sh) first',
  );
}
