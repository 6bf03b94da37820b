import type { CohortRow } from '@crm/projections';

/** The cohort table as CSV: cohort, size, then m0 … m<months−1> (retention shares; empty for a month not begun). */
export function cohortCsv(rows: readonly CohortRow[], months: number): string {
  const header = ['cohort', 'size', ...Array.from({ length: months }, (_, k) => `m${k}`)].join(',');
  const lines = rows.map((row) =>
    [
      row.cohort,
      String(row.size),
      ...row.retention.map((share) => (share === null ? '' : String(share))),
    ].join(','),
  );
  return [header, ...lines].map((line) => `${line}\r\n`).join('');
}
