import { customerPath, expectError, newCustomerId, type RecordedBody, registerCustomer } from './support/api';
import { TestApp } from './support/test-app';

type OpenApiDocument = {
  readonly components: {
    readonly schemas: Readonly<Record<string, { readonly properties: Readonly<Record<string, unknown>> }>>;
  };
};

type ProfileBody = {
  readonly customerId: string;
  readonly erasedAt: string | null;
  readonly profile: Readonly<Record<string, unknown>>;
  readonly consents: Readonly<Record<string, { granted: boolean; changedAt: string }>>;
  readonly identityKeys: { email: string | null; phone: string | null };
  readonly stage: string | null;
  readonly valueTier: string | null;
  readonly meta: { position: number; asOf: string };
};

describe('GET /customers/:id', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start();
  });

  afterAll(async () => {
    await app.stop();
  });

  it('answers the current profile, consents, identity keys, stage and tier', async () => {
    const customerId = await registerCustomer(app, newCustomerId(), {
      email: 'Ada@Example.com',
      phone: '+44 20 7946 0958',
      segment: 'b2c',
      occurredAt: '2026-01-01T00:00:00Z',
    });
    await app.request('PATCH', customerPath(customerId), {
      segment: null,
      occurredAt: '2026-01-02T00:00:00Z',
    });
    // Recorded later but stated earlier: not the latest.
    await app.request('PATCH', customerPath(customerId), {
      segment: 'old',
      occurredAt: '2025-12-01T00:00:00Z',
    });
    await app.post(customerPath(customerId, '/consents'), {
      purpose: 'marketing_email',
      granted: true,
      occurredAt: '2026-01-03T00:00:00Z',
    });
    const last = await app.post<RecordedBody>(customerPath(customerId, '/consents'), {
      purpose: 'marketing_email',
      granted: false,
      occurredAt: '2026-01-04T00:00:00Z',
    });

    const response = await app.get<ProfileBody>(
      `${customerPath(customerId)}?minPosition=${last.body.globalPosition}`,
    );

    expect(response.statusCode).toBe(200);
    expect(response.body).toMatchObject({
      customerId,
      erasedAt: null,
      profile: {
        name: 'Test Customer',
        email: 'Ada@Example.com',
        phone: '+44 20 7946 0958',
        segment: null,
      },
      consents: { marketing_email: { granted: false, changedAt: '2026-01-04T00:00:00.000Z' } },
      identityKeys: { email: 'ada@example.com', phone: '+442079460958' },
      stage: 'reach',
      valueTier: 'prospect',
    });
    expect(response.body.meta.position).toBeGreaterThanOrEqual(last.body.globalPosition);
  });

  it('reads [erased] and no identity keys after erasure', async () => {
    const customerId = await registerCustomer(app, newCustomerId(), {
      email: 'gone@example.com',
      attributes: { tier: 'gold' },
    });
    expect((await app.post(`/admin/customers/${customerId}/erase`)).statusCode).toBe(200);
    const { body } = await app.get<ProfileBody>(customerPath(customerId));
    expect(body.profile).toMatchObject({ name: '[erased]', email: '[erased]', attributes: '[erased]' });
    expect(body.identityKeys).toEqual({ email: null, phone: null });
    expect(body.erasedAt).not.toBeNull();

    // The document says what the route sends: attributes are an object, or that string once erased.
    const document = await app.get<OpenApiDocument>('/docs/json');
    expect(document.body.components.schemas['ProfileFieldsResponse']?.properties.attributes).toMatchObject({
      oneOf: [{ type: 'object' }, { type: 'string', enum: ['[erased]'] }],
      nullable: true,
    });
  });

  it('answers 404 for an unknown customer', async () => {
    expectError(await app.get(customerPath(newCustomerId())), 404, 'CUSTOMER.NOT_FOUND');
  });
});
