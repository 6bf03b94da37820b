import { Injectable } from '@nestjs/common';
import {
  type ErrorDetail,
  type EventMetadata,
  isAutomatedType,
  isFollowUpType,
  isTouchpointType,
  type TouchpointEvent,
  TOUCHPOINT_TYPES,
} from '@crm/domain';
import { validateDto } from '@crm/platform';
import { dataFields, EventBuilder } from '../shared/event-builder';
import { TOUCHPOINT_DTOS, type TouchpointEnvelopeDto } from './touchpoint.dto';

const ENVELOPE_KEYS = ['type', 'eventId', 'occurredAt', 'customerId', 'expectedRevision'] as const;

export type TouchpointRequest = {
  readonly event: TouchpointEvent;
  readonly customerId?: string;
  readonly expectedRevision?: number;
  /** True when the body had no occurredAt and the server's clock chose it. */
  readonly serverTimed: boolean;
};

export type ParsedTouchpoint = { ok: true; value: TouchpointRequest } | { ok: false; details: ErrorDetail[] };

/** Validates one touchpoint body by its `type` and turns it into a candidate event. */
@Injectable()
export class TouchpointRequestParser {
  constructor(private readonly builder: EventBuilder) {}

  parse(body: unknown, metadata: EventMetadata, fieldPrefix = ''): ParsedTouchpoint {
    const type = typeof body === 'object' && body !== null ? (body as { type?: unknown }).type : undefined;
    if (typeof type !== 'string' || !isTouchpointType(type)) {
      const field = fieldPrefix ? `${fieldPrefix}.type` : 'type';
      return { ok: false, details: [notATouchpoint(field, type)] };
    }
    const validated = validateDto<TouchpointEnvelopeDto>(TOUCHPOINT_DTOS[type], body, fieldPrefix);
    if (!validated.ok) return validated;
    const dto = validated.value;
    const built = this.builder.build(
      type,
      dto,
      dataFields(dto, ENVELOPE_KEYS) as TouchpointEvent['data'],
      metadata,
      fieldPrefix,
    );
    if (!built.ok) return built;
    return {
      ok: true,
      value: {
        event: built.event,
        customerId: dto.customerId,
        expectedRevision: dto.expectedRevision,
        serverTimed: built.serverTimed,
      },
    };
  }
}

/** Why `type` is refused: what the catalogue has that is no touchpoint says where it goes instead. */
function notATouchpoint(field: string, type: unknown): ErrorDetail {
  if (typeof type === 'string' && isAutomatedType(type))
    return {
      field,
      code: 'automatedOnly',
      message: `${type} is recorded only by the automations, never through the API`,
    };
  if (typeof type === 'string' && isFollowUpType(type))
    return {
      field,
      code: 'notATouchpoint',
      message: `${type} is not a touchpoint: use POST /customers/:customerId/follow-ups and its reassign, complete and cancel routes`,
    };
  return { field, code: 'isIn', message: `type must be one of: ${TOUCHPOINT_TYPES.join(', ')}` };
}
