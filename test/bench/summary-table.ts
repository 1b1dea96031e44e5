/** A plain-text table for the end of `npm run bench:sip`. */

export interface SummaryRow {
  readonly figure: string;
  readonly ours: string;
  /** Target, or the peer's figure. */
  readonly reference: string;
  readonly ratio: string;
}

const HEADER: SummaryRow = { figure: 'figure', ours: 'ours', reference: 'target / peer', ratio: 'ratio' };

export function formatSummaryTable(rows: readonly SummaryRow[]): string {
  const all = [HEADER, ...rows];
  const widths = (['figure', 'ours', 'reference', 'ratio'] as const).map((key) => Math.max(...all.map((row) => row[key].length)));
  const line = (row: SummaryRow): string =>
    [row.figure, row.ours, row.reference, row.ratio].map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ').trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('-+-');
  return [line(HEADER), rule, ...rows.map(line)].join('\n');
}
