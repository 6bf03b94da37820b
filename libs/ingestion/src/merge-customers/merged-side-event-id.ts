import { createHash } from 'node:crypto';

/** The namespace of merged-side event ids (a random UUID, fixed forever). */
const MERGED_SIDE_NAMESPACE = Buffer.from('6f1b7c1e2d9a4c5f8e3b0a7d9c2e4f61', 'hex');

/**
 * The eventId of a merge's merged side, derived from the survivor side's
 * (a UUID v5: SHA-1 of a namespace and the name), so a retry of the request
 * writes the same two events and finds both as duplicates. The store holds
 * an eventId in one stream only, hence two ids for the two sides.
 */
export function mergedSideEventId(survivorEventId: string): string {
  const hash = createHash('sha1')
    .update(MERGED_SIDE_NAMESPACE)
    .update(survivorEventId.toLowerCase(), 'utf8')
    .digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
