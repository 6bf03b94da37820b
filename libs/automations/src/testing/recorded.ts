import { type CrmEvent, customerStreamId, toStoredShape } from '@crm/domain';
import type { RecordedEvent } from '@crm/event-store';

/** A domain event as the log hands it back, for the rules' unit specs. */
export function recorded(event: CrmEvent, customerId = 'cust-1', position = 1): RecordedEvent {
  return {
    ...toStoredShape(event),
    streamId: customerStreamId(customerId),
    revision: position - 1,
    position,
    recordedAt: event.occurredAt,
  };
}
