import type { Decider } from '../decider';
import { CommandRejectedError } from '../errors/command-rejected.error';
import { DomainError } from '../errors/domain-error';
import {
  type CrmEvent,
  type CustomersMerged,
  EVENT_VERSIONS,
  type FollowUpEvent,
  type FollowUpScheduled,
  isAutomatedType,
  isFollowUpType,
  isTouchpointType,
  type SupportCaseSlaBreached,
  type SurveyAnswered,
  type SurveyRequested,
  type PurchaseCompleted,
  type PurchaseRefunded,
  type SupportCaseOpened,
  type SupportCaseResolved,
  type SupportCaseResponded,
} from '../events/catalogue';
import type { CustomerCommand, CustomerCommandType } from './customer.commands';
import { conflict, CustomerErrorCode, fieldViolation, gone, mergedInto, notFound } from './customer.errors';
import { evolve } from './customer.evolve';
import { assertValidPayload } from './customer.payload-rules';
import { type CustomerState, initialState, refundableAmount, type SupportCaseState } from './customer.state';

export { evolve, evolveAll } from './customer.evolve';
export { initialState } from './customer.state';

/** Which event types each command may carry. */
const ACCEPTS: Readonly<Record<CustomerCommandType, (eventType: string) => boolean>> = {
  RegisterCustomer: (eventType) => eventType === 'CustomerRegistered',
  UpdateCustomerProfile: (eventType) => eventType === 'CustomerProfileUpdated',
  ChangeConsent: (eventType) => eventType === 'ConsentChanged',
  RecordTouchpoint: isTouchpointType,
  EraseCustomer: (eventType) => eventType === 'CustomerErased',
  MergeCustomers: (eventType) => eventType === 'CustomersMerged',
  ManageFollowUp: isFollowUpType,
  RecordAutomatedEvent: isAutomatedType,
};

/**
 * Decides whether the candidate event may join the customer's stream. On
 * success it returns the candidate itself, untouched: its eventId is the
 * idempotency key, so it must not be rebuilt. Throws DomainError otherwise.
 *
 * Order of checks: the envelope (command/type, version), then the payload on
 * its own, then the rules that need the stream.
 */
export function decide(command: CustomerCommand, state: CustomerState): CrmEvent[] {
  assertCommandCarriesItsEvent(command);
  const event: CrmEvent = command.event;
  assertSupportedVersion(event);
  assertValidPayload(event);
  assertNotErased(state);
  // Erasure is the person's right whatever became of their record: a merged customer can be erased.
  if (command.type !== 'EraseCustomer') assertNotMerged(state);
  assertRegistration(event, state);
  assertAllowedByHistory(event, state);
  return [event];
}

/** The two sides of a merge: the survivor's event and the merged customer's. */
export type MergeSides = { readonly survivor: CustomersMerged; readonly merged: CustomersMerged };

/**
 * Decides a merge on both customers' states at once (domain.md: both exist,
 * neither erased, neither already merged, not the same customer). The
 * survivor's side is checked first, so a refusal names `customerId` (the
 * survivor) before `mergedId`. Returns both sides untouched; throws
 * DomainError otherwise, and then nothing may be written.
 */
export function decideMerge(
  sides: MergeSides,
  survivorState: CustomerState,
  mergedState: CustomerState,
): MergeSides {
  const { survivorId, mergedId } = sides.survivor.data;
  if (survivorId === mergedId)
    throw fieldViolation(
      CustomerErrorCode.MergeSameCustomer,
      'mergedId',
      `A customer cannot be merged into itself (${mergedId})`,
    );
  assertMergeable(survivorState, survivorId, 'customerId');
  assertMergeable(mergedState, mergedId, 'mergedId');
  decide({ type: 'MergeCustomers', event: sides.survivor }, survivorState);
  decide({ type: 'MergeCustomers', event: sides.merged }, mergedState);
  return sides;
}

function assertMergeable(state: CustomerState, customerId: string, field: string): void {
  if (!state.registered)
    throw new DomainError(CustomerErrorCode.NotFound, 'not_found', `Customer not found: ${customerId}`, [
      { field, code: CustomerErrorCode.NotFound, message: `No customer ${customerId}` },
    ]);
  if (state.erased)
    throw new DomainError(CustomerErrorCode.Erased, 'gone', `Customer ${customerId} was erased`, [
      { field, code: CustomerErrorCode.Erased, message: `Customer ${customerId} was erased` },
    ]);
  if (state.mergedInto !== null) throw mergedInto(customerId, state.mergedInto, field);
}

/**
 * Folds several commands for one customer, each decided against the state
 * left by the previous ones. All or nothing: the first rejection throws and
 * nothing of the batch is kept.
 */
/**
 * Decides several commands for one customer, each on the state the previous
 * ones left: all or nothing. A rule's refusal comes back as a
 * CommandRejectedError saying which command it was.
 */
export function decideAll(
  commands: readonly CustomerCommand[],
  state: CustomerState,
): { events: CrmEvent[]; state: CustomerState } {
  const events: CrmEvent[] = [];
  let current = state;
  commands.forEach((command, index) => {
    try {
      for (const event of decide(command, current)) {
        events.push(event);
        current = evolve(current, event);
      }
    } catch (error) {
      throw error instanceof DomainError ? new CommandRejectedError(index, error) : error;
    }
  });
  return { events, state: current };
}

export const customerDecider: Decider<CustomerState, CustomerCommand, CrmEvent> = {
  decide,
  evolve,
  initialState,
};

function assertCommandCarriesItsEvent(command: CustomerCommand): void {
  // Commands come from parsed JSON too, so neither field is trusted to match its type.
  const accepts = Object.hasOwn(ACCEPTS, command.type) ? ACCEPTS[command.type] : undefined;
  const eventType: string = command.event.type;
  if (accepts?.(eventType)) return;
  throw fieldViolation(
    CustomerErrorCode.CommandInvalid,
    'type',
    accepts === undefined
      ? `Unknown command ${command.type}`
      : `${command.type} does not accept a ${eventType} event`,
  );
}

function assertSupportedVersion(event: CrmEvent): void {
  const supported = EVENT_VERSIONS[event.type];
  if (event.version === supported) return;
  throw fieldViolation(
    CustomerErrorCode.EventVersionUnsupported,
    'version',
    `${event.type} version ${event.version} is not supported; the current version is ${supported}`,
  );
}

/**
 * Erasure is final: the stream keeps its history (with personal fields
 * shredded) but takes no new facts, since any would need a new data key and
 * would re-create personal data the customer asked to have removed.
 */
function assertNotErased(state: CustomerState): void {
  if (!state.erased) return;
  throw gone(CustomerErrorCode.Erased, `Customer ${state.customerId ?? ''} was erased`);
}

/** A merged customer lives on as the survivor: its stream takes nothing more. */
function assertNotMerged(state: CustomerState): void {
  if (state.mergedInto === null) return;
  throw mergedInto(state.customerId ?? '', state.mergedInto);
}

function assertRegistration(event: CrmEvent, state: CustomerState): void {
  if (event.type === 'CustomerRegistered') {
    if (!state.registered) return;
    throw conflict(
      CustomerErrorCode.AlreadyRegistered,
      `Customer ${event.data.customerId} is already registered`,
      'customerId',
    );
  }
  if (state.registered) return;
  // Touchpoints never create a customer implicitly: an unknown id is far more likely a typo.
  throw notFound(CustomerErrorCode.NotFound, 'Customer not found: register it with CustomerRegistered first');
}

function assertAllowedByHistory(event: CrmEvent, state: CustomerState): void {
  switch (event.type) {
    case 'PurchaseCompleted':
      return assertNewOrder(event, state);
    case 'PurchaseRefunded':
      return assertRefundable(event, state);
    case 'SupportCaseOpened':
      return assertCaseNotYetOpened(event, state);
    case 'SupportCaseResponded':
      return assertFirstResponse(event, state);
    case 'SupportCaseResolved':
      return assertFirstResolution(event, state);
    case 'CustomersMerged':
      return assertMergeNamesThisCustomer(event, state);
    case 'FollowUpScheduled':
      return assertNewFollowUp(event, state);
    case 'FollowUpReassigned':
    case 'FollowUpCompleted':
    case 'FollowUpCancelled':
      return assertOpenFollowUp(event, state);
    case 'SurveyRequested':
      return assertNewSurveyRequest(event, state);
    case 'SurveyAnswered':
      return assertAnswerableRequest(event, state);
    case 'SupportCaseSlaBreached':
      return assertFirstSlaBreach(event, state);
    default:
      return;
  }
}

function assertNewFollowUp(event: FollowUpScheduled, state: CustomerState): void {
  const { followUpId, caseId } = event.data;
  if (state.followUps.has(followUpId))
    throw conflict(
      CustomerErrorCode.FollowUpAlreadyScheduled,
      `Follow-up ${followUpId} is already scheduled`,
      'followUpId',
    );
  // A follow-up about a case must name one this customer opened.
  if (caseId !== undefined) openedCase(caseId, state);
}

/** Reassigning, completing or cancelling needs a follow-up that exists and is still open. */
function assertOpenFollowUp(event: Exclude<FollowUpEvent, FollowUpScheduled>, state: CustomerState): void {
  const { followUpId } = event.data;
  const followUp = state.followUps.get(followUpId);
  if (followUp === undefined)
    throw fieldViolation(
      CustomerErrorCode.FollowUpUnknown,
      'followUpId',
      `No follow-up ${followUpId} was scheduled for this customer`,
    );
  if (!followUp.open)
    throw conflict(
      CustomerErrorCode.FollowUpClosed,
      `Follow-up ${followUpId} is already completed or cancelled`,
      'followUpId',
    );
}

function assertNewSurveyRequest(event: SurveyRequested, state: CustomerState): void {
  const { requestId, caseId } = event.data;
  if (state.surveyRequests.has(requestId))
    throw conflict(
      CustomerErrorCode.SurveyRequestAlreadyRecorded,
      `Survey request ${requestId} is already recorded`,
      'requestId',
    );
  openedCase(caseId, state);
}

/** An answer to a request names a request of this customer, on its scale, answered once. */
function assertAnswerableRequest(event: SurveyAnswered, state: CustomerState): void {
  const { requestId, surveyType } = event.data;
  if (requestId === undefined) return;
  const request = state.surveyRequests.get(requestId);
  if (request === undefined)
    throw fieldViolation(
      CustomerErrorCode.SurveyRequestUnknown,
      'requestId',
      `No survey request ${requestId} was recorded for this customer`,
    );
  if (request.surveyType !== surveyType)
    throw fieldViolation(
      CustomerErrorCode.SurveyRequestTypeMismatch,
      'surveyType',
      `Survey request ${requestId} asked for ${request.surveyType}; the answer is ${surveyType}`,
    );
  if (request.answered)
    throw conflict(
      CustomerErrorCode.SurveyRequestAlreadyAnswered,
      `Survey request ${requestId} is already answered`,
      'requestId',
    );
}

function assertFirstSlaBreach(event: SupportCaseSlaBreached, state: CustomerState): void {
  const { caseId } = event.data;
  if (!openedCase(caseId, state).slaBreached) return;
  throw conflict(
    CustomerErrorCode.SupportCaseSlaAlreadyBreached,
    `Support case ${caseId} already breached its service level`,
    'caseId',
  );
}

function assertMergeNamesThisCustomer(event: CustomersMerged, state: CustomerState): void {
  const { survivorId, mergedId } = event.data;
  if (survivorId === mergedId)
    throw fieldViolation(
      CustomerErrorCode.MergeSameCustomer,
      'mergedId',
      'A customer cannot be merged into itself',
    );
  if (state.customerId === survivorId || state.customerId === mergedId) return;
  throw fieldViolation(
    CustomerErrorCode.MergeNotThisCustomer,
    'survivorId',
    `A CustomersMerged on customer ${state.customerId ?? ''} must name it as survivorId or mergedId`,
  );
}

function assertNewOrder(event: PurchaseCompleted, state: CustomerState): void {
  const { orderId } = event.data;
  if (!state.orders.has(orderId)) return;
  throw conflict(CustomerErrorCode.OrderAlreadyCompleted, `Order ${orderId} is already completed`, 'orderId');
}

function assertRefundable(event: PurchaseRefunded, state: CustomerState): void {
  const { orderId, amount, currency } = event.data;
  const order = state.orders.get(orderId);
  if (order === undefined) {
    throw fieldViolation(
      CustomerErrorCode.RefundUnknownOrder,
      'orderId',
      `No completed purchase with orderId ${orderId}`,
    );
  }
  if (currency !== order.currency) {
    throw fieldViolation(
      CustomerErrorCode.RefundCurrencyMismatch,
      'currency',
      `Order ${orderId} was paid in ${order.currency}; the refund is in ${currency}`,
    );
  }
  const refundable = refundableAmount(order);
  if (amount <= refundable) return;
  throw fieldViolation(
    CustomerErrorCode.RefundExceedsPaid,
    'amount',
    `Order ${orderId} has ${refundable} ${order.currency} (minor units) left to refund ` +
      `(paid ${order.paid}, refunded ${order.refunded}); the refund asks for ${amount}`,
  );
}

function assertCaseNotYetOpened(event: SupportCaseOpened, state: CustomerState): void {
  const { caseId } = event.data;
  if (!state.supportCases.get(caseId)?.opened) return;
  throw conflict(
    CustomerErrorCode.SupportCaseAlreadyOpened,
    `Support case ${caseId} is already open`,
    'caseId',
  );
}

function assertFirstResponse(event: SupportCaseResponded, state: CustomerState): void {
  const { caseId } = event.data;
  const supportCase = openedCase(caseId, state);
  if (supportCase.resolved) {
    throw conflict(
      CustomerErrorCode.SupportCaseAlreadyResolved,
      `Support case ${caseId} is already resolved`,
      'caseId',
    );
  }
  if (supportCase.responded) {
    // Only the first agent reply is a fact: it is what first-response time measures.
    throw conflict(
      CustomerErrorCode.SupportCaseAlreadyResponded,
      `Support case ${caseId} already has its first response`,
      'caseId',
    );
  }
}

function assertFirstResolution(event: SupportCaseResolved, state: CustomerState): void {
  const { caseId } = event.data;
  if (!openedCase(caseId, state).resolved) return;
  throw conflict(
    CustomerErrorCode.SupportCaseAlreadyResolved,
    `Support case ${caseId} is already resolved`,
    'caseId',
  );
}

function openedCase(caseId: string, state: CustomerState): SupportCaseState {
  const supportCase = state.supportCases.get(caseId);
  if (supportCase?.opened) return supportCase;
  throw fieldViolation(
    CustomerErrorCode.SupportCaseNotOpened,
    'caseId',
    `Support case ${caseId} was never opened`,
  );
}
