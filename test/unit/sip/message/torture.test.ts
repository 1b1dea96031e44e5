/**
 * RFC 4475 / RFC 5118 torture corpus, read from ../shared/torture (or
 * $SIP_TORTURE_DIR) and never copied into the repository. Scoring follows the
 * corpus README: `accept` must parse and validate, `reject` must be refused
 * (400/505, or unanswerable), `either` passes both ways; no exception may escape.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage } from '../../../../firmware/sip/message/parser.ts';
import type { ParseResult } from '../../../../firmware/sip/message/types.ts';
import { readTortureManifest, readTortureMessage, TORTURE_DIR, tortureCorpusPresent, type TortureEntry as Entry } from '../../../support/torture-corpus.ts';

type Outcome = { readonly pass: true } | { readonly pass: false; readonly why: string };

function judge(entry: Entry, result: ParseResult): Outcome {
  if (entry.expect === 'accept') {
    return result.ok ? { pass: true } : { pass: false, why: `refused: ${result.error.status} ${result.error.reason}` };
  }
  if (entry.expect === 'reject') {
    if (result.ok) return { pass: false, why: 'accepted a message the RFC says must be refused' };
    if (result.error.status !== 400 && result.error.status !== 505) return { pass: false, why: `refused with ${result.error.status}, expected 400 or 505` };
    return { pass: true };
  }
  return { pass: true };
}

if (!tortureCorpusPresent()) {
  test('torture corpus (RFC 4475, RFC 5118)', (t) => {
    t.skip(`corpus not found at ${TORTURE_DIR} (set SIP_TORTURE_DIR)`);
  });
} else {
  const entries = readTortureManifest().filter((entry) => entry.scored);
  const outcomes = new Map<string, Outcome>();

  for (const entry of entries) {
    const name = `${entry.rfc} §${entry.section} ${entry.tag} (${entry.file}): ${entry.title} → ${entry.expect}`;
    test(name, () => {
      const bytes = readTortureMessage(entry);
      let outcome: Outcome;
      try {
        // RFC 4475 messages are datagrams (the README); the RFC 5118 wire forms frame correctly either way.
        outcome = judge(entry, parseMessage(bytes, { transport: 'datagram' }));
      } catch (error: unknown) {
        outcome = { pass: false, why: `exception escaped: ${String(error)}` };
      }
      outcomes.set(name, outcome);
      if (!outcome.pass) assert.fail(outcome.why);
    });
  }

  test('torture corpus score', (t) => {
    const passed = [...outcomes.values()].filter((outcome) => outcome.pass).length;
    t.diagnostic(`torture corpus: ${passed}/${entries.length} scored messages handled as the manifest expects`);
    const failures = [...outcomes].filter(([, outcome]) => !outcome.pass).map(([name]) => name);
    assert.equal(outcomes.size, entries.length, 'every scored entry ran');
    assert.ok(entries.length > 0, 'the manifest lists scored entries');
    assert.deepEqual(failures, []);
  });
}
