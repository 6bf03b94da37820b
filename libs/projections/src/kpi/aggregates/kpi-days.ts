import { DAY_MS, epochMs } from '../../shared/instant';

/**
 * Whole UTC days, as integers since the epoch, are the time axis of the KPI
 * aggregates: a period bound on a day's start splits no day, so every fact
 * of a day falls on one side of it.
 */
export type Day = number;
/** UTC months as year · 12 + month (0-based): consecutive integers. */
export type Month = number;

export function dayOfMs(ms: number): Day {
  return Math.floor(ms / DAY_MS);
}

export function dayOf(instant: string): Day {
  return dayOfMs(epochMs(instant));
}

/** The day an instant starts, or null when it is not a day's start. */
export function wholeDayOf(instant: string): Day | null {
  const ms = epochMs(instant);
  return ms % DAY_MS === 0 ? ms / DAY_MS : null;
}

const monthOfDayCache = new Map<Day, Month>();

export function monthOfDay(day: Day): Month {
  const known = monthOfDayCache.get(day);
  if (known !== undefined) return known;
  const date = new Date(day * DAY_MS);
  const month = date.getUTCFullYear() * 12 + date.getUTCMonth();
  if (monthOfDayCache.size > 100_000) monthOfDayCache.clear();
  monthOfDayCache.set(day, month);
  return month;
}

const firstDayCache = new Map<Month, Day>();

/** setUTCFullYear, because Date.UTC reads years 0–99 as 1900–1999. */
export function firstDayOfMonth(month: Month): Day {
  const known = firstDayCache.get(month);
  if (known !== undefined) return known;
  const date = new Date(0);
  date.setUTCFullYear(Math.floor(month / 12), ((month % 12) + 12) % 12, 1);
  const day = dayOfMs(date.getTime());
  if (firstDayCache.size > 100_000) firstDayCache.clear();
  firstDayCache.set(month, day);
  return day;
}

/**
 * Counter set ids: fixed-width decimal with an offset, so string order is
 * time order for every instant JavaScript can represent (±100,000,000 days).
 */
const DAY_OFFSET = 100_000_000;
const MONTH_OFFSET = 10_000_000;

export function daySetId(day: Day): string {
  return `d:${String(day + DAY_OFFSET).padStart(9, '0')}`;
}

export function monthSetId(month: Month): string {
  return `m:${String(month + MONTH_OFFSET).padStart(8, '0')}`;
}

export function dayOfSetId(id: string): Day {
  return Number(id.slice(2)) - DAY_OFFSET;
}

export function monthOfSetId(id: string): Month {
  return Number(id.slice(2)) - MONTH_OFFSET;
}

/** The first and last possible set ids of each level, for ranges. */
export const DAY_SETS = { first: 'd:', end: 'd;' } as const;
export const MONTH_SETS = { first: 'm:', end: 'm;' } as const;

/** A piece of a period: a whole month, or one day. */
export type PeriodPiece =
  { readonly level: 'day'; readonly day: Day } | { readonly level: 'month'; readonly month: Month };

/**
 * [from, to) as whole months where it covers them and single days at its
 * edges: at most 62 days and the months between.
 */
export function piecesOf(from: Day, to: Day): PeriodPiece[] {
  const pieces: PeriodPiece[] = [];
  let day = from;
  while (day < to) {
    const month = monthOfDay(day);
    const start = firstDayOfMonth(month);
    const end = firstDayOfMonth(month + 1);
    if (day === start && end <= to) {
      pieces.push({ level: 'month', month });
      day = end;
    } else {
      pieces.push({ level: 'day', day });
      day += 1;
    }
  }
  return pieces;
}
