import { DomainError, type ErrorDetail } from '../errors/domain-error';

/** Stable codes of every customer rule; clients and docs depend on these strings. */
export const CustomerErrorCode = {
  NotFound: 'CUSTOMER.NOT_FOUND',
  AlreadyRegistered: 'CUSTOMER.ALREADY_REGISTERED',
  Erased: 'CUSTOMER.ERASED',
  Merged: 'CUSTOMER.MERGED',
  MergeSameCustomer: 'MERGE.SAME_CUSTOMER',
  MergeNotThisCustomer: 'MERGE.NOT_THIS_CUSTOMER',
  CommandInvalid: 'COMMAND.INVALID',
  EventVersionUnsupported: 'EVENT.VERSION_UNSUPPORTED',
  SurveyScoreOutOfRange: 'SURVEY.SCORE_OUT_OF_RANGE',
  AmountNotPositive: 'AMOUNT.NOT_POSITIVE',
  DurationNegative: 'DURATION.NEGATIVE',
  CurrencyInvalid: 'CURRENCY.INVALID',
  OrderAlreadyCompleted: 'ORDER.ALREADY_COMPLETED',
  RefundUnknownOrder: 'REFUND.UNKNOWN_ORDER',
  RefundCurrencyMismatch: 'REFUND.CURRENCY_MISMATCH',
  RefundExceedsPaid: 'REFUND.EXCEEDS_PAID',
  SupportCaseAlreadyOpened: 'SUPPORT_CASE.ALREADY_OPENED',
  SupportCaseNotOpened: 'SUPPORT_CASE.NOT_OPENED',
  SupportCaseAlreadyResponded: 'SUPPORT_CASE.ALREADY_RESPONDED',
  SupportCaseAlreadyResolved: 'SUPPORT_CASE.ALREADY_RESOLVED',
  SupportCaseSlaAlreadyBreached: 'SUPPORT_CASE.SLA_ALREADY_BREACHED',
  FollowUpAlreadyScheduled: 'FOLLOW_UP.ALREADY_SCHEDULED',
  FollowUpUnknown: 'FOLLOW_UP.UNKNOWN',
  FollowUpClosed: 'FOLLOW_UP.CLOSED',
  FollowUpDueInvalid: 'FOLLOW_UP.DUE_INVALID',
  SurveyRequestAlreadyRecorded: 'SURVEY_REQUEST.ALREADY_RECORDED',
  SurveyRequestUnknown: 'SURVEY_REQUEST.UNKNOWN',
  SurveyRequestTypeMismatch: 'SURVEY_REQUEST.TYPE_MISMATCH',
  SurveyRequestAlreadyAnswered: 'SURVEY_REQUEST.ALREADY_ANSWERED',
  InstantInvalid: 'INSTANT.INVALID',
} as const;

export type CustomerErrorCode = (typeof CustomerErrorCode)[keyof typeof CustomerErrorCode];

export function notFound(code: CustomerErrorCode, message: string): DomainError {
  return new DomainError(code, 'not_found', message);
}

/** The thing existed and is gone for good (an erased customer). */
export function gone(code: CustomerErrorCode, message: string): DomainError {
  return new DomainError(code, 'gone', message);
}

export function conflict(code: CustomerErrorCode, message: string, field?: string): DomainError {
  return new DomainError(code, 'conflict', message, field === undefined ? [] : [{ field, code, message }]);
}

export function ruleViolation(
  code: CustomerErrorCode,
  message: string,
  details: readonly ErrorDetail[] = [],
): DomainError {
  return new DomainError(code, 'rule_violation', message, details);
}

/** One rule broken by one field: the detail repeats the message so clients can show it next to the field. */
export function fieldViolation(code: CustomerErrorCode, field: string, message: string): DomainError {
  return ruleViolation(code, message, [{ field, code, message }]);
}

/**
 * The customer was merged into another (CustomersMerged): commands go to the
 * survivor, named in the detail's `value` so a client can follow it.
 */
export function mergedInto(customerId: string, survivorId: string, field = 'customerId'): DomainError {
  const message = `Customer ${customerId} was merged into ${survivorId}`;
  return new DomainError(CustomerErrorCode.Merged, 'conflict', message, [
    { field, code: CustomerErrorCode.Merged, message, value: survivorId },
  ]);
}
