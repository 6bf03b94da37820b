import type { RebuildShare } from '@crm/projections';

/** What a share's thread gets as workerData. */
export type ShareInput = {
  readonly share: RebuildShare;
  /** Projection name → the version the rebuild builds (the active ones). */
  readonly versions: readonly (readonly [string, number])[];
  readonly batchSize: number | undefined;
  readonly churnWindowDays: number | undefined;
  readonly attributionWindowDays: number | undefined;
  /** BLIND_INDEX_KEY, or null: no identity index. */
  readonly blindIndexKey: Uint8Array | null;
  /** The buffer of the ThreadWriteLock the shares' read-store connections commit under. */
  readonly writeLock: SharedArrayBuffer;
  /** The caller's data for opening the stores (RebuildWorkers.data). */
  readonly data: unknown;
};

/** What a share's thread reports: events folded so far, then done or failed. */
export type ShareMessage =
  | { readonly kind: 'progress'; readonly events: number }
  | { readonly kind: 'done' }
  | { readonly kind: 'failed'; readonly message: string };
