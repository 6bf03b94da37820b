import type {
  ConsentChanged,
  CrmEvent,
  CustomerProfileUpdated,
  CustomerErased,
  CustomerRegistered,
  CustomersMerged,
  TouchpointEvent,
  FollowUpEvent,
  AutomatedEvent,
} from '../events/catalogue';

/**
 * A command carries the fully formed candidate event: the caller supplies
 * eventId, occurredAt and metadata, so the decider needs no clock or id
 * generator and stays pure.
 */
export type CustomerCommand =
  | { type: 'RegisterCustomer'; event: CustomerRegistered }
  | { type: 'UpdateCustomerProfile'; event: CustomerProfileUpdated }
  | { type: 'ChangeConsent'; event: ConsentChanged }
  | { type: 'RecordTouchpoint'; event: TouchpointEvent }
  | { type: 'EraseCustomer'; event: CustomerErased }
  /** One side of a merge; decideMerge decides both sides together. */
  | { type: 'MergeCustomers'; event: CustomersMerged }
  /** Schedule, reassign, complete or cancel a follow-up. */
  | { type: 'ManageFollowUp'; event: FollowUpEvent }
  /** What a reactor records (SurveyRequested, SupportCaseSlaBreached). */
  | { type: 'RecordAutomatedEvent'; event: AutomatedEvent };

export type CustomerCommandType = CustomerCommand['type'];

/** The command that proposes a given event, for callers that start from an event (imports, batches, tests). */
export function commandFor(event: CrmEvent): CustomerCommand {
  switch (event.type) {
    case 'CustomerRegistered':
      return { type: 'RegisterCustomer', event };
    case 'CustomerProfileUpdated':
      return { type: 'UpdateCustomerProfile', event };
    case 'ConsentChanged':
      return { type: 'ChangeConsent', event };
    case 'CustomerErased':
      return { type: 'EraseCustomer', event };
    case 'CustomersMerged':
      return { type: 'MergeCustomers', event };
    case 'FollowUpScheduled':
    case 'FollowUpReassigned':
    case 'FollowUpCompleted':
    case 'FollowUpCancelled':
      return { type: 'ManageFollowUp', event };
    case 'SurveyRequested':
    case 'SupportCaseSlaBreached':
      return { type: 'RecordAutomatedEvent', event };
    default:
      return { type: 'RecordTouchpoint', event };
  }
}
