import { customerPath, expectError, fieldsOf, recordTouchpoint, type RecordedBody } from './support/api';
import { purchase, type ReadMetaBody, refund, registerAt } from './support/read-models';
import { TestApp } from './support/test-app';

jest.setTimeout(60_000);

type CampaignFiguresBody = {
  readonly campaignId: string;
  readonly sent: number;
  readonly opened: number;
  readonly clicked: number;
  readonly converted: number;
  readonly openRate: number | null;
  readonly clickRate: number | null;
  readonly clickToOpen: number | null;
  readonly conversionRate: number | null;
  readonly attributedRevenue: number;
};

type CampaignBody = CampaignFiguresBody & {
  readonly from: string | null;
  readonly to: string | null;
  readonly attributionWindowDays: number;
  readonly meta: ReadMetaBody;
};

type CampaignPageBody = {
  readonly items: readonly CampaignFiguresBody[];
  readonly nextCursor: string | null;
  readonly meta: ReadMetaBody;
};

type AudienceMemberBody = {
  readonly customerId: string;
  readonly kind: string;
  readonly segment: string | null;
  readonly stage: string;
  readonly valueTier: string;
  readonly lastTouchAt: string | null;
};

const interaction = (campaignId: string, action: string, occurredAt: string) => ({
  type: 'CampaignInteraction',
  campaignId,
  action,
  occurredAt,
});

/**
 * Four customers, two campaigns:
 * - c-ann: spring sent, opened, clicked (Mar 2), bought 5,000 (Mar 3), refunded 1,000 (Apr 10); consents by email.
 * - c-bob: spring sent, opened (Mar 1); summer sent and clicked (Mar 20), bought 2,000 (Mar 30: 10 days later,
 *   outside the window); consents, then withdraws (later occurredAt).
 * - c-cy: spring sent twice (Mar 1, Apr 5), converted (Apr 6); consents by sms only.
 * - c-dee: summer sent (Mar 20); consents, then is erased.
 * - c-eve: no campaign at all; consents by email.
 */
describe('campaign performance routes', () => {
  let app: TestApp;
  let position = 0;

  const record = async (customerId: string, body: Record<string, unknown>): Promise<void> => {
    position = (await recordTouchpoint(app, customerId, body)).globalPosition;
  };
  const consent = async (customerId: string, purpose: string, granted: boolean, occurredAt: string) => {
    const response = await app.post<RecordedBody>(customerPath(customerId, '/consents'), {
      purpose,
      granted,
      occurredAt,
    });
    expect(response.statusCode).toBe(201);
    position = response.body.globalPosition;
  };

  beforeAll(async () => {
    app = await TestApp.start();
    for (const id of ['c-ann', 'c-bob', 'c-cy', 'c-dee', 'c-eve'])
      await registerAt(app, id, '2026-01-01T00:00:00Z', id === 'c-eve' ? { segment: '=cmd,"x"' } : {});
    await record('c-ann', interaction('spring', 'sent', '2026-03-01T00:00:00Z'));
    await record('c-ann', interaction('spring', 'opened', '2026-03-01T08:00:00Z'));
    await record('c-ann', interaction('spring', 'clicked', '2026-03-02T00:00:00Z'));
    await record('c-ann', purchase('o-1', 5_000, '2026-03-03T00:00:00Z'));
    await record('c-ann', refund('o-1', 1_000, '2026-04-10T00:00:00Z'));
    await consent('c-ann', 'marketing_email', true, '2026-01-02T00:00:00Z');
    await record('c-bob', interaction('spring', 'sent', '2026-03-01T00:00:00Z'));
    await record('c-bob', interaction('spring', 'opened', '2026-03-01T09:00:00Z'));
    await record('c-bob', interaction('summer', 'sent', '2026-03-20T00:00:00Z'));
    await record('c-bob', interaction('summer', 'clicked', '2026-03-20T00:00:00Z'));
    await record('c-bob', purchase('o-1', 2_000, '2026-03-30T00:00:00Z'));
    await consent('c-bob', 'marketing_email', false, '2026-02-02T00:00:00Z');
    await consent('c-bob', 'marketing_email', true, '2026-02-01T00:00:00Z');
    await record('c-cy', interaction('spring', 'sent', '2026-03-01T00:00:00Z'));
    await record('c-cy', interaction('spring', 'sent', '2026-04-05T00:00:00Z'));
    await record('c-cy', interaction('spring', 'converted', '2026-04-06T00:00:00Z'));
    await consent('c-cy', 'sms', true, '2026-01-02T00:00:00Z');
    await record('c-dee', interaction('summer', 'sent', '2026-03-20T00:00:00Z'));
    await consent('c-dee', 'marketing_email', true, '2026-01-02T00:00:00Z');
    await consent('c-eve', 'marketing_email', true, '2026-01-02T00:00:00Z');
    const erased = await app.post<{ globalPosition: number }>('/admin/customers/c-dee/erase', {
      reason: 'gdpr-art-17',
    });
    expect(erased.statusCode).toBe(200);
    position = Math.max(position, erased.body.globalPosition);
  });

  afterAll(async () => {
    await app.stop();
  });

  const read = async <T>(url: string): Promise<T> => {
    const separator = url.includes('?') ? '&' : '?';
    const response = await app.get<T>(`${url}${separator}minPosition=${position}`);
    expect(response.statusCode).toBe(200);
    return response.body;
  };

  it('answers a campaign all time: distinct customers, rates and last-click revenue net of refunds', async () => {
    const spring = await read<CampaignBody>('/campaigns/spring');

    expect(spring).toEqual<CampaignBody>({
      campaignId: 'spring',
      from: null,
      to: null,
      sent: 3,
      opened: 2,
      clicked: 1,
      converted: 1,
      openRate: 2 / 3,
      clickRate: 1 / 3,
      clickToOpen: 1 / 2,
      conversionRate: 1 / 3,
      attributedRevenue: 4_000,
      attributionWindowDays: 7,
      meta: { position: expect.any(Number) as number, asOf: expect.any(String) as string },
    });
    expect(spring.meta.position).toBeGreaterThanOrEqual(position);
    // Bob's purchase came 10 days after his click: outside the 7-day window, attributed to nobody.
    expect(await read<CampaignBody>('/campaigns/summer')).toMatchObject({
      sent: 2,
      opened: 0,
      clicked: 1,
      openRate: 0,
      clickToOpen: null,
      attributedRevenue: 0,
    });
  });

  it('answers a period from occurredAt in [from, to), refunds in the period they fall in', async () => {
    expect(
      await read<CampaignBody>('/campaigns/spring?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z'),
    ).toMatchObject({
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-04-01T00:00:00.000Z',
      sent: 3,
      opened: 2,
      clicked: 1,
      converted: 0,
      conversionRate: 0,
      attributedRevenue: 5_000,
    });
    expect(await read<CampaignBody>('/campaigns/spring?from=2026-04-01T00:00:00Z')).toMatchObject({
      from: '2026-04-01T00:00:00.000Z',
      to: null,
      sent: 1,
      opened: 0,
      converted: 1,
      openRate: 0,
      clickToOpen: null,
      attributedRevenue: -1_000,
    });
    expect(await read<CampaignBody>('/campaigns/spring?to=2026-03-01T00:00:00Z')).toMatchObject({
      sent: 0,
      openRate: null,
      clickRate: null,
      conversionRate: null,
      attributedRevenue: 0,
    });
  });

  it('lists the campaigns sorted by sent, conversion rate or revenue, and pages them', async () => {
    const ids = (page: CampaignPageBody) => page.items.map((item) => item.campaignId);

    expect(ids(await read<CampaignPageBody>('/campaigns'))).toEqual(['spring', 'summer']);
    expect(ids(await read<CampaignPageBody>('/campaigns?sort=sent&order=asc'))).toEqual(['summer', 'spring']);
    expect(ids(await read<CampaignPageBody>('/campaigns?sort=conversionRate'))).toEqual(['spring', 'summer']);
    expect(ids(await read<CampaignPageBody>('/campaigns?sort=attributedRevenue&order=asc'))).toEqual([
      'summer',
      'spring',
    ]);
    const first = await read<CampaignPageBody>('/campaigns?sort=attributedRevenue&limit=1');
    expect(ids(first)).toEqual(['spring']);
    expect(first.items[0]).toMatchObject({ sent: 3, attributedRevenue: 4_000, conversionRate: 1 / 3 });
    const second = await read<CampaignPageBody>(
      `/campaigns?sort=attributedRevenue&limit=1&cursor=${first.nextCursor ?? ''}`,
    );
    expect(ids(second)).toEqual(['summer']);
    expect(second.nextCursor).toBeNull();
  });

  it('answers 404 CAMPAIGN.NOT_FOUND for a campaign never seen', async () => {
    expectError(await app.get(`/campaigns/autumn?minPosition=${position}`), 404, 'CAMPAIGN.NOT_FOUND');
  });

  it('refuses bad parameters with 400 naming the field', async () => {
    const fields = async (url: string) => fieldsOf(expectError(await app.get(url), 400, 'VALIDATION.FAILED'));

    expect(await fields('/campaigns?sort=opened')).toEqual(['sort']);
    expect(await fields('/campaigns?order=up&limit=0')).toEqual(['order']);
    expect(await fields('/campaigns?limit=0')).toEqual(['limit']);
    expect(await fields('/campaigns?cursor=nonsense')).toEqual(['cursor']);
    expect(await fields('/campaigns?sort=sent&color=red')).toEqual(['color']);
    expect(await fields('/campaigns/spring?from=yesterday')).toEqual(['from']);
    expect(await fields('/campaigns/spring?from=2026-05-01T00:00:00Z&to=2026-04-01T00:00:00Z')).toEqual([
      'from',
    ]);
    expect(await fields(`/campaigns/${'x'.repeat(129)}`)).toEqual(['campaignId']);
    expect(await fields('/campaigns/spring/audience?format=xml')).toEqual(['format']);
    expect(await fields('/campaigns/spring/audience?valueTier=gold')).toEqual(['valueTier']);
    expect(await fields('/campaigns/spring/audience?stage=x')).toEqual(['stage']);
    expect(await fields('/campaigns/spring/audience?lastTouchBefore=soon')).toEqual(['lastTouchBefore']);
    expect(await fields('/campaigns/spring/audience?purpose=%20')).toEqual(['purpose']);
    expect(await fields(`/campaigns/spring/audience?purpose=${'p'.repeat(129)}`)).toEqual(['purpose']);
  });

  it('exports the audience as NDJSON without customers lacking the consent or erased', async () => {
    const response = await app.get<string>(`/campaigns/spring/audience?minPosition=${position}`);

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const members = response.body
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as AudienceMemberBody);
    // Bob's latest consent (by occurredAt) withdraws it; Cy consented to sms only; Dee was erased.
    expect(members).toEqual<AudienceMemberBody[]>([
      {
        customerId: 'c-ann',
        kind: 'person',
        segment: null,
        stage: 'conversion',
        valueTier: 'core',
        lastTouchAt: '2026-04-10T00:00:00.000Z',
      },
      {
        customerId: 'c-eve',
        kind: 'person',
        segment: '=cmd,"x"',
        stage: 'reach',
        valueTier: 'prospect',
        lastTouchAt: null,
      },
    ]);
  });

  it('exports the audience of another purpose, a value tier, a stage and a last-touch window', async () => {
    const ids = async (params: string): Promise<string[]> => {
      // An empty audience is an empty body.
      const body = (await read<string | undefined>(`/campaigns/spring/audience?${params}`)) ?? '';
      return body
        .trim()
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => (JSON.parse(line) as AudienceMemberBody).customerId);
    };

    expect(await ids('purpose=sms')).toEqual(['c-cy']);
    expect(await ids('valueTier=prospect')).toEqual(['c-eve']);
    expect(await ids('stage=reach')).toEqual(['c-eve']);
    expect(await ids('lastTouchAfter=2026-04-01T00:00:00Z')).toEqual(['c-ann']);
    expect(await ids('lastTouchBefore=2026-04-10T00:00:00Z')).toEqual([]);
    expect(await ids('lastTouchBefore=2026-04-10T00:00:00.001Z&lastTouchAfter=2026-04-10T00:00:00Z')).toEqual(
      ['c-ann'],
    );
    // The campaign need not exist yet: an audience is exported before the sends.
    expect(await read<string>('/campaigns/not-sent-yet/audience?valueTier=prospect')).toContain('"c-eve"');
  });

  it('exports the audience as CSV with a header, quoting and defusing formula-like values', async () => {
    const response = await app.get<string>(`/campaigns/spring/audience?format=csv&minPosition=${position}`);

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.body.split('\r\n')).toEqual([
      'customerId,kind,segment,stage,valueTier,lastTouchAt',
      'c-ann,person,,conversion,core,2026-04-10T00:00:00.000Z',
      `c-eve,person,"'=cmd,""x""",reach,prospect,`,
      '',
    ]);
  });
});

describe('campaign attribution window from the configuration, projections in the worker thread', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start({ CAMPAIGN_ATTRIBUTION_WINDOW_DAYS: '14', PROJECTIONS_THREAD: 'worker' });
  });

  afterAll(async () => {
    await app.stop();
  });

  it('attributes a purchase 10 days after the click with a 14-day window, and says which window', async () => {
    await registerAt(app, 'w-ann', '2026-01-01T00:00:00Z');
    await recordTouchpoint(app, 'w-ann', interaction('summer', 'clicked', '2026-03-20T00:00:00Z'));
    const last = await recordTouchpoint(app, 'w-ann', purchase('o-1', 2_000, '2026-03-30T00:00:00Z'));

    const response = await app.get<CampaignBody>(`/campaigns/summer?minPosition=${last.globalPosition}`);

    expect(response.statusCode).toBe(200);
    expect(response.body).toMatchObject({ clicked: 1, attributedRevenue: 2_000, attributionWindowDays: 14 });
  });
});
