import type { OpenAPIObject } from '@nestjs/swagger';

type Node = { [key: string]: unknown };

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null;

/**
 * Every JSON body is validated with unknown fields rejected (validateDto's
 * forbidNonWhitelisted), so the document says so: each object schema a
 * request body reaches through $ref, oneOf or its properties gets
 * `additionalProperties: false`, unless it declares its own (free-form
 * `attributes` keep theirs). Response schemas are left open.
 */
export function closeRequestBodies(document: OpenAPIObject): OpenAPIObject {
  const schemas: Node = document.components?.schemas ?? {};
  const seen = new Set<Node>();
  const close = (schema: unknown): void => {
    if (!isNode(schema) || seen.has(schema)) return;
    seen.add(schema);
    if (typeof schema.$ref === 'string') {
      close(schemas[schema.$ref.replace('#/components/schemas/', '')]);
      return;
    }
    for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
      const alternatives = schema[key];
      if (Array.isArray(alternatives)) alternatives.forEach(close);
    }
    const properties = schema.properties;
    if (!isNode(properties)) return;
    if (schema.additionalProperties === undefined) schema.additionalProperties = false;
    // Nested DTOs (what-if's valueTierCutoffs) are validated the same way.
    Object.values(properties).forEach((property) => {
      if (isNode(property) && (typeof property.$ref === 'string' || isNode(property.allOf))) close(property);
    });
  };
  for (const path of Object.values(document.paths)) {
    for (const operation of Object.values(path)) {
      if (!isNode(operation) || !isNode(operation.requestBody)) continue;
      const content = operation.requestBody.content;
      if (isNode(content) && isNode(content['application/json'])) close(content['application/json'].schema);
    }
  }
  return document;
}

/**
 * An optional query parameter given empty (`?status=`) counts as absent on
 * every route (singleParam), so the document says so of each one
 * (`allowEmptyValue`); a required one must not be empty.
 */
export function emptyOptionalQueries(document: OpenAPIObject): OpenAPIObject {
  for (const path of Object.values(document.paths)) {
    for (const operation of Object.values(path)) {
      if (!isNode(operation) || !Array.isArray(operation.parameters)) continue;
      for (const parameter of operation.parameters as unknown[]) {
        if (isNode(parameter) && parameter.in === 'query' && parameter.required !== true)
          parameter.allowEmptyValue = true;
      }
    }
  }
  return document;
}
