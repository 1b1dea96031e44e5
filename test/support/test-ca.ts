import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findBinary } from './find-binary.ts';

const execFileAsync = promisify(execFile);

export interface CreateTestCaOptions {
  /** Directory the keys and certificates are written to (created if needed). */
  readonly dir: string;
  /**
   * Extra names the server certificate is valid for (DNS names or IP
   * addresses), on top of 127.0.0.1, ::1 and localhost. Typically the SIP
   * domain, e.g. 'pbx.test'.
   */
  readonly serverNames?: readonly string[];
  /** Validity of both certificates. Default 30 days. */
  readonly validityDays?: number;
}

export interface TestCa {
  /** PEM certificate of the test CA: what a client must trust. */
  readonly caCertPath: string;
  readonly caKeyPath: string;
  /** PEM server certificate signed by the CA (subjectAltName = serverNames). */
  readonly serverCertPath: string;
  readonly serverKeyPath: string;
  /** Every name in the server certificate's subjectAltName. */
  readonly serverNames: readonly string[];
}

const DEFAULT_NAMES = ['127.0.0.1', '::1', 'localhost'];

/**
 * Makes a throw-away certificate authority and a server certificate it
 * signs, with the openssl command line tool (Debian package openssl).
 * EC P-256 keys: generated in milliseconds.
 */
export async function createTestCa(options: CreateTestCaOptions): Promise<TestCa> {
  const openssl = findBinary({ name: 'openssl', debianPackage: 'openssl' });
  const days = String(options.validityDays ?? 30);
  await mkdir(options.dir, { recursive: true });
  const path = (name: string): string => join(options.dir, name);
  const serverNames = [...new Set([...DEFAULT_NAMES, ...(options.serverNames ?? [])])];
  const san = serverNames.map((name) => (isIP(name) ? `IP:${name}` : `DNS:${name}`)).join(',');
  const commonName = options.serverNames?.[0] ?? 'localhost';
  const run = (args: string[]): Promise<unknown> => execFileAsync(openssl, args, { cwd: options.dir });
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

  await run([
    'req', '-x509', ...ecKey, '-keyout', path('ca.key'), '-out', path('ca.crt'), '-days', days,
    '-subj', '/O=deskphone tests/CN=deskphone test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await run([
    'req', ...ecKey, '-keyout', path('server.key'), '-out', path('server.csr'),
    '-subj', `/O=deskphone tests/CN=${commonName}`,
  ]);
  await writeFile(
    path('server.ext'),
    [
      `subjectAltName=${san}`,
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth,clientAuth',
      '',
    ].join('\n'),
  );
  await run([
    'x509', '-req', '-in', path('server.csr'), '-CA', path('ca.crt'), '-CAkey', path('ca.key'),
    '-CAcreateserial', '-out', path('server.crt'), '-days', days, '-extfile', path('server.ext'),
  ]);

  return {
    caCertPath: path('ca.crt'),
    caKeyPath: path('ca.key'),
    serverCertPath: path('server.crt'),
    serverKeyPath: path('server.key'),
    serverNames,
  };
}
