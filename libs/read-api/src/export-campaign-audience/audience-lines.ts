import {
  type AudienceFacts,
  consentGranted,
  type SegmentMember,
  type SegmentPage,
  type SegmentQuery,
} from '@crm/projections';
import { MAX_LIMIT } from '@crm/read-store';
import type { AudienceFormat, AudienceQuery } from './audience.query';

/** One customer to contact: no personal data (no name, email or phone), only what a list needs. */
export type AudienceMember = Pick<
  SegmentMember,
  'customerId' | 'kind' | 'segment' | 'stage' | 'valueTier'
> & {
  readonly lastTouchAt: string | null;
};

export const AUDIENCE_COLUMNS = [
  'customerId',
  'kind',
  'segment',
  'stage',
  'valueTier',
  'lastTouchAt',
] as const;

/** What the export reads: the segment pages and the campaign projection's per-customer facts. */
export type AudienceSources = {
  readonly segment: (query: SegmentQuery) => Promise<SegmentPage>;
  readonly facts: (customerIds: readonly string[]) => Promise<ReadonlyMap<string, AudienceFacts>>;
};

/**
 * Whether a segment member is in the audience: not erased, the latest
 * consent for the purpose granted (no statement, or no campaign facts yet:
 * not granted), and the last touch within the bounds.
 */
export function admits(facts: AudienceFacts | undefined, query: AudienceQuery): facts is AudienceFacts {
  if (facts === undefined || facts.erased || !consentGranted(facts, query.purpose)) return false;
  const last = facts.lastTouchAt;
  if (query.lastTouchBefore !== null && (last === null || !(last < query.lastTouchBefore))) return false;
  if (query.lastTouchAfter !== null && (last === null || last < query.lastTouchAfter)) return false;
  return true;
}

/**
 * The audience, page by page of the segment (value tier and stage as
 * GET /customers filters them, in customerId order), each page's customers
 * checked against their campaign facts: memory stays one page whatever the
 * audience's size.
 */
export async function* audienceMembers(
  sources: AudienceSources,
  query: AudienceQuery,
  asOf: string,
): AsyncGenerator<AudienceMember> {
  let cursor: string | undefined;
  do {
    const page = await sources.segment({
      valueTier: query.valueTier,
      stage: query.stage,
      limit: MAX_LIMIT,
      asOf,
      ...(cursor !== undefined && { cursor }),
    });
    const facts = await sources.facts(page.items.map((item) => item.customerId));
    for (const item of page.items) {
      const known = facts.get(item.customerId);
      if (!admits(known, query)) continue;
      const { customerId, kind, segment, stage, valueTier } = item;
      yield { customerId, kind, segment, stage, valueTier, lastTouchAt: known.lastTouchAt };
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}

/**
 * A CSV field: quoted when it holds a comma, quote or line break; a value
 * a spreadsheet would run as a formula (= + - @ first) gets a leading `'`
 * (segment names are client text).
 */
function csvField(value: string | null): string {
  if (value === null) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The export's lines: NDJSON, one member a line; CSV, a header then one row a member (RFC 4180, CRLF). */
export async function* audienceLines(
  members: AsyncIterable<AudienceMember>,
  format: AudienceFormat,
): AsyncGenerator<string> {
  if (format === 'csv') yield `${AUDIENCE_COLUMNS.join(',')}\r\n`;
  for await (const member of members) {
    yield format === 'csv'
      ? `${AUDIENCE_COLUMNS.map((column) => csvField(member[column])).join(',')}\r\n`
      : `${JSON.stringify(member)}\n`;
  }
}
