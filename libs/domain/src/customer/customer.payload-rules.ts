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
/** An ISO-8601 instant in UTC, as every `…At` of the catalogue is written. */
const UTC_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?Z$/;
const DAY_MS = 86_400_000;

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
    case 'FollowUpScheduled':
      return assertInstant(CustomerErrorCode.FollowUpDueInvalid, 'dueAt', event.data.dueAt);
    case 'SupportCaseSlaBreached':
      return assertInstant(CustomerErrorCode.InstantInvalid, 'dueAt', event.data.dueAt);
    case 'SurveyRequested':
      return assertKnownSurveyType(event.data.surveyType);
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

/** A due date is required and must be a real UTC instant (the decider has no clock to compare it with). */
function assertInstant(code: CustomerErrorCode, field: string, value: string | undefined): void {
  if (typeof value === 'string' && isCalendarInstant(value)) return;
  throw fieldViolation(code, field, `${field} must be an ISO-8601 UTC instant, got ${JSON.stringify(value)}`);
}

/** Matches UTC_INSTANT and names a real calendar day (Date.parse rolls 31 February over into March). */
function isCalendarInstant(value: string): boolean {
  const match = UTC_INSTANT.exec(value);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = (Date.UTC(year, month, 1) - Date.UTC(year, month - 1, 1)) / DAY_MS;
  return day <= daysInMonth;
}

function assertKnownSurveyType(surveyType: SurveyType): void {
  // The type says this cannot happen; the guard turns a bypassed DTO check into a 422, not a crash.
  if (Object.hasOwn(SURVEY_SCORE_RANGES, surveyType)) return;
  throw fieldViolation(CustomerErrorCode.CommandInvalid, 'surveyType', `unknown survey type "${surveyType}"`);
}

function assertScoreInRange(data: SurveyAnsweredData): void {
  assertKnownSurveyType(data.surveyType);
  const { min, max } = SURVEY_SCORE_RANGES[data.surveyType];
  if (Number.isInteger(data.score) && data.score >= min && data.score <= max) return;
  throw fieldViolation(
    CustomerErrorCode.SurveyScoreOutOfRange,
    'score',
    `${data.surveyType} score must be an integer from ${min} to ${max}, got ${data.score}`,
  );
}
