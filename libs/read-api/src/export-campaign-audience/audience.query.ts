import { RequestValidationError } from '@crm/platform';
import {
  JOURNEY_STAGES,
  type JourneyStage,
  MARKETING_CONSENT_PURPOSE,
  VALUE_TIERS,
  type ValueTier,
} from '@crm/projections';
import { rejectUnknownParams } from '../shared/known-params';
import { choiceParam, optionalInstant, singleParam } from '../shared/query-params';

export const AUDIENCE_FORMATS = ['ndjson', 'csv'] as const;
export type AudienceFormat = (typeof AUDIENCE_FORMATS)[number];

export const AUDIENCE_PARAMS = [
  'purpose',
  'valueTier',
  'stage',
  'lastTouchBefore',
  'lastTouchAfter',
  'format',
  'minPosition',
] as const;

/** Consent purposes are client strings (ConsentChanged.purpose); this bounds what a query may name. */
export const MAX_PURPOSE_LENGTH = 128;

export type AudienceQuery = {
  readonly purpose: string;
  readonly valueTier: ValueTier | undefined;
  readonly stage: JourneyStage | undefined;
  /** Exclusive: lastTouchAt < lastTouchBefore. */
  readonly lastTouchBefore: string | null;
  /** Inclusive: lastTouchAt ≥ lastTouchAfter. */
  readonly lastTouchAfter: string | null;
  readonly format: AudienceFormat;
};

/** Validates the query string of GET /campaigns/:campaignId/audience (400 VALIDATION.FAILED naming the field). */
export function parseAudienceQuery(raw: Readonly<Record<string, unknown>>): {
  readonly query: AudienceQuery;
  readonly minPosition: unknown;
} {
  rejectUnknownParams(raw, AUDIENCE_PARAMS);
  const purpose = singleParam('purpose', raw.purpose) ?? MARKETING_CONSENT_PURPOSE;
  if (purpose.trim() === '' || purpose.length > MAX_PURPOSE_LENGTH) {
    throw new RequestValidationError([
      {
        field: 'purpose',
        code: 'length',
        message: `purpose is 1-${MAX_PURPOSE_LENGTH} characters, not blank`,
      },
    ]);
  }
  const lastTouchBefore = optionalInstant('lastTouchBefore', raw.lastTouchBefore);
  const lastTouchAfter = optionalInstant('lastTouchAfter', raw.lastTouchAfter);
  if (lastTouchBefore !== null && lastTouchAfter !== null && lastTouchAfter > lastTouchBefore) {
    throw new RequestValidationError([
      {
        field: 'lastTouchAfter',
        code: 'beforeLastTouchBefore',
        message: 'lastTouchAfter must not be after lastTouchBefore',
      },
    ]);
  }
  return {
    query: {
      purpose,
      valueTier: choiceParam<ValueTier>('valueTier', raw.valueTier, VALUE_TIERS),
      stage: choiceParam<JourneyStage>('stage', raw.stage, JOURNEY_STAGES),
      lastTouchBefore,
      lastTouchAfter,
      format: choiceParam<AudienceFormat>('format', raw.format, AUDIENCE_FORMATS) ?? 'ndjson',
    },
    minPosition: raw.minPosition,
  };
}
