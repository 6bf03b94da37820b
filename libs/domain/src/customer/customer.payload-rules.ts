import type {
  CrmEvent,
  PurchaseCompletedData,
  PurchaseRefundedData,
  SurveyAnsweredData,
  SurveyType,
} from '../events/catalogue';
import type { ErrorDetail } from '../errors/domain-error';
import { CustomerErrorCode, fieldViolation, ruleViolation } from './customer.errors';

/** Inclusive integer score ranges of each survey scale. */
export const SURVEY_SCORE_RANGES: Readonly<
  Record<SurveyType, { readonly min: number; readonly max: number }>
> = {
  nps: { min: 0, max: 10 },
  csat: { min: 1, max: 5 },
  ces: { min: 1, max: 7 },
};

const CURRENCY_CODE = /^[A-Z]{3}$/;

/**
 * Rules that depend on the event alone, not on the stream. They run before
 * the stateful rules so a malformed payload is reported as such.
 */
export function assertValidPayload(event: CrmEvent): void {
  switch (event.type) {
    case 'CallLogged':
      return assertNonNegativeDuration('durationSeconds', event.data.durationSeconds);
    case 'MeetingHeld':
      return assertNonNegativeDuration('durationMinutes', event.data.durationMinutes);
    case 'PurchaseCompleted':
      assertNoAmountProblems(purchaseAmountProblems(event.data));
      return assertCurrencyCode(event.data.currency);
    case 'PurchaseRefunded':
      assertNoAmountProblems(refundAmountProblems(event.data));
      return assertCurrencyCode(event.data.currency);
    case 'SurveyAnswered':
      return assertScoreInRange(event.data);
    default:
      return;
  }
}

function isPositiveInteger(value: number): boolean {
  return Number.isInteger(value) && value > 0;
}

function isNonNegativeInteger(value: number): boolean {
  return Number.isInteger(value) && value >= 0;
}

function amountProblem(field: string, message: string): ErrorDetail {
  return { field, code: CustomerErrorCode.AmountNotPositive, message };
}

function purchaseAmountProblems(data: PurchaseCompletedData): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (!isPositiveInteger(data.amount)) {
    problems.push(amountProblem('amount', 'must be a positive integer in minor units'));
  }
  (data.items ?? []).forEach((item, index) => {
    if (!isPositiveInteger(item.quantity)) {
      problems.push(amountProblem(`items[${index}].quantity`, 'must be a positive integer'));
    }
    // A zero unit amount is a legitimate free item (gift, bundle part).
    if (!isNonNegativeInteger(item.unitAmount)) {
      problems.push(
        amountProblem(`items[${index}].unitAmount`, 'must be a non-negative integer in minor units'),
      );
    }
  });
  return problems;
}

function refundAmountProblems(data: PurchaseRefundedData): ErrorDetail[] {
  return isPositiveInteger(data.amount)
    ? []
    : [amountProblem('amount', 'must be a positive integer in minor units')];
}

function assertNoAmountProblems(problems: readonly ErrorDetail[]): void {
  if (problems.length === 0) return;
  const fields = problems.map((problem) => problem.field).join(', ');
  throw ruleViolation(CustomerErrorCode.AmountNotPositive, `Invalid amount in ${fields}`, problems);
}

function assertCurrencyCode(currency: string): void {
  if (CURRENCY_CODE.test(currency)) return;
  throw fieldViolation(
    CustomerErrorCode.CurrencyInvalid,
    'currency',
    `currency must be a 3-letter upper-case ISO-4217 code, got "${currency}"`,
  );
}

function assertNonNegativeDuration(field: string, value: number): void {
  if (Number.isFinite(value) && value >= 0) return;
  throw fieldViolation(
    CustomerErrorCode.DurationNegative,
    field,
    `${field} must not be negative, got ${value}`,
  );
}

function assertScoreInRange(data: SurveyAnsweredData): void {
  // The type says this cannot happen; the guard turns a bypassed DTO check into a 422, not a crash.
  if (!Object.hasOwn(SURVEY_SCORE_RANGES, data.surveyType)) {
    throw fieldViolation(
      CustomerErrorCode.CommandInvalid,
      'surveyType',
      `unknown survey type "${data.surveyType}"`,
    );
  }
  const { min, max } = SURVEY_SCORE_RANGES[data.surveyType];
  if (Number.isInteger(data.score) && data.score >= min && data.score <= max) return;
  throw fieldViolation(
    CustomerErrorCode.SurveyScoreOutOfRange,
    'score',
    `${data.surveyType} score must be an integer from ${min} to ${max}, got ${data.score}`,
  );
}
