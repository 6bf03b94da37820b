import type { RecordOptions } from '../customers/customer-repository';

/** What a single-event route passes to the repository besides the event. */
export type RecordingOptions = RecordOptions;

/** The options of one built event: its expected revision, and whether the server chose its occurredAt. */
export function recordingOptions(
  built: { readonly serverTimed: boolean; readonly event: { readonly eventId: string } },
  expectedRevision: number | undefined,
): RecordingOptions {
  return {
    expectedRevision,
    serverTimed: built.serverTimed ? new Set([built.event.eventId]) : undefined,
  };
}
