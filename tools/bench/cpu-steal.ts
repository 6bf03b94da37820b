import { readFileSync } from 'node:fs';

/** The machine's CPU time so far, in clock ticks, from the first line of Linux's /proc/stat. */
export type CpuTimes = { readonly total: number; readonly steal: number };

/**
 * `cpu  user nice system idle iowait irq softirq steal guest guest_nice`.
 * steal is time the hypervisor ran someone else while this VM wanted the
 * CPU; guest time is already counted in user, so it is not added again.
 */
export function parseCpuTimes(procStat: string): CpuTimes | null {
  const line = procStat.split('\n', 1)[0] ?? '';
  const fields = line.trim().split(/\s+/);
  if (fields[0] !== 'cpu' || fields.length < 9) return null;
  const ticks = fields.slice(1, 9).map(Number);
  if (ticks.some((value) => !Number.isFinite(value))) return null;
  return { total: ticks.reduce((sum, value) => sum + value, 0), steal: ticks[7] ?? 0 };
}

/** null where there is no /proc/stat (not Linux). */
export function readCpuTimes(): CpuTimes | null {
  try {
    return parseCpuTimes(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return null;
  }
}

/** Percent of the machine's CPU time stolen between two readings; null if either is missing. */
export function stealPercent(before: CpuTimes | null, after: CpuTimes | null): number | null {
  if (before === null || after === null) return null;
  const total = after.total - before.total;
  if (total <= 0) return null;
  return Math.round(((after.steal - before.steal) / total) * 1000) / 10;
}
