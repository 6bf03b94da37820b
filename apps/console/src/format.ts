/** How figures read on screen; tables keep the raw value beside it (data-value) for export and tests. */
const number = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });
const integer = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });

export type Figure = number | null | undefined;

export const DASH = '–';

/** Minor units as major units with two decimals ("1,234.56"); the currency is the data's. */
export function money(minor: Figure): string {
  return minor === null || minor === undefined
    ? DASH
    : (minor / 100).toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

export function count(value: Figure): string {
  return value === null || value === undefined ? DASH : integer.format(value);
}

export function decimal(value: Figure): string {
  return value === null || value === undefined ? DASH : number.format(value);
}

/** A 0–1 fraction as a percentage. */
export function share(value: Figure): string {
  return value === null || value === undefined ? DASH : `${number.format(value * 100)} %`;
}

/** A figure that already is a percentage (NPS, CSAT). */
export function percent(value: Figure): string {
  return value === null || value === undefined ? DASH : `${number.format(value)}`;
}

export function dateTime(iso: string | null | undefined): string {
  if (iso === null || iso === undefined || iso === '') return DASH;
  return iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
}

export function day(iso: string): string {
  return iso.slice(0, 10);
}
