import { plainToInstance, type ClassConstructor } from 'class-transformer';
import {
  getMetadataStorage,
  validateSync,
  ValidateIf,
  type ValidationError,
  type ValidationOptions,
} from 'class-validator';
import type { ErrorDetail } from '@crm/domain';
import { memoizeValidationMetadata } from './validation-metadata-cache';

memoizeValidationMetadata(getMetadataStorage());

export type Validated<T> = { ok: true; value: T } | { ok: false; details: ErrorDetail[] };

function joinPath(prefix: string, property: string): string {
  if (prefix === '') return property;
  return /^\d+$/.test(property) ? `${prefix}[${property}]` : `${prefix}.${property}`;
}

function flatten(errors: readonly ValidationError[], prefix: string): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = joinPath(prefix, error.property);
    const own = Object.entries(error.constraints ?? {}).map(([code, message]) => ({ field, code, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * Validates a plain body against a class-validator DTO. Unknown fields are
 * rejected (not silently dropped) so a typo never loses data unnoticed.
 */
export function validateDto<T extends object>(
  dto: ClassConstructor<T>,
  plain: unknown,
  fieldPrefix = '',
): Validated<T> {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    return {
      ok: false,
      details: [{ field: fieldPrefix || '(body)', code: 'isObject', message: 'must be a JSON object' }],
    };
  }
  const instance = plainToInstance(dto, plain);
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
  });
  if (errors.length > 0) return { ok: false, details: flatten(errors, fieldPrefix) };
  return { ok: true, value: instance };
}

/**
 * A property a body may leave out, for class-validator: the other decorators
 * are skipped when it is absent. Unlike `@IsOptional()`, which skips them for
 * `null` too (so `"email": null` passed as if left out, though no schema
 * allows it), a `null` is validated like any value, and refused by them.
 */
export function IsOmittable(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined, options);
}

/**
 * A property a body may leave out or set to `null` (a PATCH clearing a
 * field): the other decorators check any other value.
 */
export function IsOmittableOrNull(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined && value !== null, options);
}
