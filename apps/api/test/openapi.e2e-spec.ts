import { TOUCHPOINT_TYPES } from '@crm/domain';
import { TestApp } from './support/test-app';

type Schema = {
  readonly type?: string;
  readonly $ref?: string;
  readonly required?: readonly string[];
  readonly enum?: readonly string[];
  readonly minimum?: number;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly oneOf?: readonly Schema[];
  readonly discriminator?: {
    readonly propertyName: string;
    readonly mapping: Readonly<Record<string, string>>;
  };
};

type Operation = {
  readonly parameters?: readonly {
    readonly name: string;
    readonly in: string;
    readonly required?: boolean;
  }[];
  readonly requestBody?: { readonly content: Readonly<Record<string, { readonly schema: Schema }>> };
  readonly security?: readonly Readonly<Record<string, readonly string[]>>[];
  readonly responses: Readonly<
    Record<string, { readonly content?: Readonly<Record<string, { readonly schema: Schema }>> }>
  >;
};

type OpenApiDocument = {
  readonly openapi: string;
  readonly info: { readonly title: string; readonly version: string };
  readonly paths: Readonly<Record<string, Readonly<Record<string, Operation>>>>;
  readonly components: {
    readonly schemas: Readonly<Record<string, Schema>>;
    readonly securitySchemes?: Readonly<Record<string, unknown>>;
  };
};

describe('OpenAPI', () => {
  let app: TestApp;
  let doc: OpenApiDocument;

  beforeAll(async () => {
    app = await TestApp.start();
    doc = (await app.get<OpenApiDocument>('/docs/json')).body;
  });

  afterAll(async () => {
    await app.stop();
  });

  const operation = (path: string, method: string): Operation => {
    const found = doc.paths[path]?.[method];
    if (!found) throw new Error(`No ${method.toUpperCase()} ${path} in the document`);
    return found;
  };

  const schema = (ref: string | undefined): Schema => {
    const found =
      ref === undefined ? undefined : doc.components.schemas[ref.replace('#/components/schemas/', '')];
    if (!found) throw new Error(`No schema ${String(ref)}`);
    return found;
  };

  const jsonBody = (op: Operation): Schema => {
    const body = op.requestBody?.content['application/json']?.schema;
    if (!body) throw new Error('No JSON request body');
    return body;
  };

  it('serves the Swagger UI at /docs with its assets', async () => {
    const page = await app.app.inject({ method: 'GET', url: '/docs' });
    const css = await app.app.inject({ method: 'GET', url: '/docs/swagger-ui.css' });

    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('swagger-ui');
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
  });

  it('serves an OpenAPI 3 document at /docs/json', async () => {
    const response = await app.get<OpenApiDocument>('/docs/json');

    expect(response.statusCode).toBe(200);
    expect(response.body.openapi).toMatch(/^3\./);
    expect(response.body.info).toMatchObject({ title: 'Event-sourced CRM', version: '0.1.0' });
  });

  it('documents every route with its success status and its error responses', () => {
    const statuses = (path: string, method: 'get' | 'post'): string[] =>
      Object.keys(operation(path, method).responses);
    expect(statuses('/customers', 'post')).toEqual(['201', '400', '401', '403', '409', '413', '415']);
    expect(statuses('/customers/{customerId}/touchpoints', 'post')).toEqual([
      '201',
      '400',
      '401',
      '403',
      '404',
      '409',
      '413',
      '415',
      '422',
    ]);
    expect(statuses('/touchpoints/batch', 'post')).toEqual(['200', '400', '401', '403', '413', '415']);
    expect(statuses('/customers/{customerId}/events', 'get')).toEqual(['200', '400', '401', '403', '404']);
    expect(statuses('/customers/{customerId}/journey', 'get')).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
      '503',
    ]);
    expect(statuses('/kpis', 'get')).toEqual(['200', '400', '401', '403', '422', '503']);
  });

  it('documents the two ways to send an API key on protected routes, and none on health', () => {
    expect(Object.keys(doc.components.securitySchemes ?? {}).sort()).toEqual(['bearer', 'x-api-key']);
    expect(operation('/customers', 'post').security).toEqual([{ bearer: [] }, { 'x-api-key': [] }]);
    expect(operation('/health/ready', 'get').security).toBeUndefined();
  });

  it('documents the path and query parameters of reading a stream', () => {
    const parameters = operation('/customers/{customerId}/events', 'get').parameters ?? [];

    expect(parameters.map((parameter) => [parameter.name, parameter.in, parameter.required])).toEqual([
      ['customerId', 'path', true],
      ['fromRevision', 'query', false],
      ['limit', 'query', false],
    ]);
  });

  it('documents the registration body with kind and name required', () => {
    const body = schema(jsonBody(operation('/customers', 'post')).$ref);

    expect(body.required).toEqual(expect.arrayContaining(['kind', 'name']));
    expect(body.properties?.kind?.enum).toEqual(['person', 'company']);
    expect(Object.keys(body.properties ?? {})).toEqual(
      expect.arrayContaining([
        'customerId',
        'eventId',
        'occurredAt',
        'email',
        'phone',
        'segment',
        'acquisitionChannel',
        'attributes',
      ]),
    );
  });

  it('documents the touchpoint body as one schema per catalogue type, discriminated by type', () => {
    const body = jsonBody(operation('/customers/{customerId}/touchpoints', 'post'));

    expect(body.discriminator?.propertyName).toBe('type');
    expect(Object.keys(body.discriminator?.mapping ?? {}).sort()).toEqual([...TOUCHPOINT_TYPES].sort());
    expect(body.oneOf).toHaveLength(TOUCHPOINT_TYPES.length);
    for (const ref of Object.values(body.discriminator?.mapping ?? {})) {
      expect(schema(ref).properties?.type?.enum).toEqual(expect.arrayContaining([...TOUCHPOINT_TYPES]));
    }
  });

  it('documents the recorded-event response and the batch response', () => {
    const recorded = schema(
      operation('/customers', 'post').responses['201']?.content?.['application/json']?.schema.$ref,
    );
    const batch = schema(
      operation('/touchpoints/batch', 'post').responses['200']?.content?.['application/json']?.schema.$ref,
    );

    expect(recorded.required).toEqual(['customerId', 'eventId', 'type', 'streamRevision', 'globalPosition']);
    expect(batch.required).toEqual(['created', 'duplicates', 'rejected', 'items']);
  });

  // The catalogue fields of each touchpoint schema come from the Swagger compiler plugin at build
  // time (nest-cli.json), which ts-jest does not run: `npm run smoke` checks them on the built app.

  // Known gap: expectedRevision is documented with minimum -1, but the API rejects anything below 0.
  it('documents expectedRevision with the minimum the API enforces', () => {
    const body = jsonBody(operation('/customers/{customerId}/touchpoints', 'post'));

    expect(schema(body.discriminator?.mapping.MeetingHeld).properties?.expectedRevision?.minimum).toBe(0);
  });
});
