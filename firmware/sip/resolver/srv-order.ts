import type { SrvRecord } from 'node:dns';

/**
 * RFC 2782 "Usage rules": SRV records sorted by priority ascending; within one
 * priority, a weighted random selection. Records with weight 0 are placed
 * first (they get picked only when the random number is 0); the rest are
 * sorted by target and port so the result depends only on `random`.
 *
 * `random` returns a number in [0, 1) (Math.random by default; tests inject
 * a deterministic source). A target of `.` means "service not available"
 * (RFC 2782) and is dropped.
 */
export function orderSrvRecords(records: readonly SrvRecord[], random: () => number): SrvRecord[] {
  const usable = records.filter((r) => r.name !== '' && r.name !== '.');
  const priorities = [...new Set(usable.map((r) => r.priority))].sort((a, b) => a - b);
  const ordered: SrvRecord[] = [];
  for (const priority of priorities) {
    const group = usable
      .filter((r) => r.priority === priority)
      .sort((a, b) => zeroFirst(a) - zeroFirst(b) || a.name.localeCompare(b.name) || a.port - b.port);
    while (group.length > 0) {
      const total = group.reduce((sum, r) => sum + r.weight, 0);
      // "a uniform random number between 0 and the sum computed (inclusive)"
      const pick = Math.min(total, Math.floor(random() * (total + 1)));
      let running = 0;
      let index = group.length - 1;
      for (let i = 0; i < group.length; i++) {
        running += (group[i] as SrvRecord).weight;
        if (running >= pick) {
          index = i;
          break;
        }
      }
      ordered.push(...group.splice(index, 1));
    }
  }
  return ordered;
}

function zeroFirst(record: SrvRecord): number {
  return record.weight === 0 ? 0 : 1;
}
