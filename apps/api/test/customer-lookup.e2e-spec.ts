import { readdirSync } from 'node:fs';
import { findOnDisk } from '@crm/privacy/testing';
import { READ_STORE, type ReadStore } from '@crm/read-store';
import {
  customerPath,
  type ErrorResponseBody,
  expectError,
  fieldsOf,
  type RecordedBody,
} from './support/api';
import { eventually, projectionOf } from './support/admin';
import { registerRecorded, type SegmentPageBody, queryString } from './support/read-models';
import { TestApp } from './support/test-app';

jest.setTimeout(60_000);

/** Distinctive values, so that a byte scan finds them if they are anywhere on disk. */
const ADA = {
  customerId: 'lk-ada',
  name: 'Ada Lovelace',
  email: 'Ada.Lovelace@Analytical-Engine.example',
  phone: '+44 20 7946 0958',
  segment: 'vip',
};
const PEOPLE = [
  ADA,
  // The same email as Ada's, written otherwise: both are found by it.
  {
    customerId: 'lk-ada-king',
    name: 'Ada King',
    email: 'ADA.LOVELACE@analytical-engine.example',
    segment: 'retail',
  },
  // Shares the indexed six-character prefix "ada lo" with Ada Lovelace.
  { customerId: 'lk-ada-lowe', name: 'Ada Lowe', email: 'lowe@quokka-mail.example', segment: 'retail' },
  { customerId: 'lk-adam', name: 'Adam Smith', phone: '0049 30 1234567', segment: 'retail' },
  {
    customerId: 'lk-acme',
    kind: 'company',
    name: 'Acme Analytical Engines',
    email: 'sales@acme-engines.example',
    segment: 'vip',
  },
];

describe('GET /customers: filters, names and lookup by a blind index', () => {
  let app: TestApp;
  let position = 0;

  const write = (recorded: RecordedBody): void => {
    position = Math.max(position, recorded.globalPosition);
  };
  const list = async (params: Record<string, string>): Promise<SegmentPageBody> => {
    const response = await app.get<SegmentPageBody>(
      `/customers${queryString({ ...params, minPosition: position })}`,
    );
    expect(response.statusCode).toBe(200);
    return response.body;
  };
  const idsOf = async (params: Record<string, string>): Promise<string[]> =>
    (await list(params)).items.map((item) => item.customerId);
  const refused = (query: string) => app.get<ErrorResponseBody>(`/customers?${query}`);

  beforeAll(async () => {
    app = await TestApp.start();
    for (const { customerId, ...rest } of PEOPLE) write(await registerRecorded(app, { customerId, ...rest }));
  });

  afterAll(async () => {
    await app.stop();
  });

  it('finds customers by email, normalised (trimmed, lower-cased), with their names, in the page shape of the list', async () => {
    const page = await list({ email: '  ada.lovelace@ANALYTICAL-ENGINE.example ' });
    expect(page.items.map(({ customerId, name }) => ({ customerId, name }))).toEqual([
      { customerId: 'lk-ada', name: 'Ada Lovelace' },
      { customerId: 'lk-ada-king', name: 'Ada King' },
    ]);
    expect(page.items[0]).toMatchObject({
      kind: 'person',
      segment: 'vip',
      stage: 'reach',
      valueTier: 'prospect',
    });
    expect(page.nextCursor).toBeNull();
    expect(page.meta.position).toBeGreaterThanOrEqual(position);
    expect(await idsOf({ email: 'nobody@analytical-engine.example' })).toEqual([]);
  });

  it('finds customers by phone in any international spelling (compared as E.164)', async () => {
    expect(await idsOf({ phone: '0044 (0)20 7946-0958' })).toEqual(['lk-ada']);
    expect(await idsOf({ phone: '+49 30 1234567' })).toEqual(['lk-adam']);
  });

  it('finds customers by name prefix, case-insensitive, checking prefixes longer than the index on the names', async () => {
    expect(await idsOf({ q: 'ADA' })).toEqual(['lk-ada', 'lk-ada-king', 'lk-ada-lowe', 'lk-adam']);
    expect(await idsOf({ q: 'ada  k' })).toEqual(['lk-ada-king']);
    expect(await idsOf({ q: 'Ada Lo' })).toEqual(['lk-ada', 'lk-ada-lowe']);
    expect(await idsOf({ q: 'ada lov' })).toEqual(['lk-ada']);
    expect(await idsOf({ q: 'Lovelace' })).toEqual([]);
  });

  it('filters by kind and segment, alone, together and with a lookup, and lists names', async () => {
    expect(await idsOf({ kind: 'company' })).toEqual(['lk-acme']);
    expect(await idsOf({ segment: 'vip' })).toEqual(['lk-acme', 'lk-ada']);
    expect(await idsOf({ segment: 'vip', kind: 'person' })).toEqual(['lk-ada']);
    expect(await idsOf({ q: 'a', kind: 'company' })).toEqual(['lk-acme']);
    expect(await idsOf({ q: 'ada', segment: 'retail', sort: '-customerId' })).toEqual([
      'lk-adam',
      'lk-ada-lowe',
      'lk-ada-king',
    ]);
    expect(await idsOf({ segment: 'none-such' })).toEqual([]);
    // Paged by idic (sort and tier live there), kind and segment applied to each page.
    expect(await idsOf({ valueTier: 'prospect', segment: 'vip', sort: '-netRevenue' })).toEqual([
      'lk-ada',
      'lk-acme',
    ]);
    expect(await idsOf({ kind: 'company', sort: '-registeredAt' })).toEqual(['lk-acme']);
    const names = (await list({})).items.map((item) => item.name);
    expect(names).toEqual(['Acme Analytical Engines', 'Ada Lovelace', 'Ada King', 'Ada Lowe', 'Adam Smith']);
  });

  it('pages a lookup with limit and cursor', async () => {
    const first = await list({ q: 'ada', limit: '3' });
    expect(first.items.map((item) => item.customerId)).toEqual(['lk-ada', 'lk-ada-king', 'lk-ada-lowe']);
    expect(first.nextCursor).not.toBeNull();
    const second = await list({ q: 'ada', limit: '3', cursor: first.nextCursor ?? '' });
    expect(second.items.map((item) => item.customerId)).toEqual(['lk-adam']);
  });

  it('follows profile updates: the old email finds the customer no more, the new one does', async () => {
    const response = await app.request<RecordedBody>('PATCH', customerPath('lk-ada-king'), {
      email: 'countess@lovelace-house.example',
      name: 'Augusta Ada King',
    });
    expect(response.statusCode).toBe(201);
    write(response.body);
    expect(await idsOf({ email: 'ada.lovelace@analytical-engine.example' })).toEqual(['lk-ada']);
    expect(await idsOf({ email: 'Countess@Lovelace-House.example' })).toEqual(['lk-ada-king']);
    expect(await idsOf({ q: 'augusta' })).toEqual(['lk-ada-king']);
    expect(await idsOf({ q: 'ada k' })).toEqual([]);
  });

  it('never holds a plaintext email, phone or name in any file of the data directory, WAL files included', () => {
    const files = readdirSync(app.config.dataDir);
    expect(files).toEqual(expect.arrayContaining(['events.sqlite', 'read-models.sqlite']));
    const plaintext = PEOPLE.flatMap((person) => [
      person.name,
      person.name.toLowerCase(),
      ...('email' in person && person.email ? [person.email.trim(), person.email.trim().toLowerCase()] : []),
      ...('phone' in person && person.phone ? [person.phone] : []),
    ]);
    expect(
      findOnDisk(app.config.dataDir, [...plaintext, '+442079460958', '+49301234567', 'countess@']),
    ).toEqual([]);
  });

  it.each([
    ['an unknown parameter', 'emial=ada%40x.example&colour=red', ['emial', 'colour'], 'whitelistValidation'],
    ['an unknown kind', 'kind=robot', ['kind'], 'isIn'],
    ['a phone without a country code', 'phone=020%207946%200958', ['phone'], 'isPhoneNumber'],
    ['a blank email', 'email=%20%20', ['email'], 'isNotEmpty'],
    ['a blank name prefix', 'q=%20', ['q'], 'isNotEmpty'],
    ['a name prefix too long', `q=${'a'.repeat(201)}`, ['q'], 'maxLength'],
    ['an email given twice', 'email=a%40x.example&email=b%40x.example', ['email'], 'single'],
    ['a segment given twice', 'segment=vip&segment=retail', ['segment'], 'single'],
    ['a lookup sorted by revenue', 'q=ada&sort=-netRevenue', ['sort'], 'isIn'],
  ])('refuses %s with 400 VALIDATION.FAILED naming the field', async (_case, query, fields, code) => {
    const body = expectError(await refused(query), 400, 'VALIDATION.FAILED');
    expect(fieldsOf(body)).toEqual(fields);
    expect(body.details.every((detail) => detail.code === code)).toBe(true);
  });

  it('keeps finding customers after a blue-green rebuild of the identity index', async () => {
    expect((await app.post('/admin/projections/identity-index/rebuild')).statusCode).toBe(202);
    await eventually(
      () => projectionOf(app, 'identity-index'),
      (projection) => projection.version === 2 && projection.rebuild === null,
    );
    const store = app.app.get<ReadStore>(READ_STORE);
    await eventually(
      () => store.count('identity_index'),
      (left) => left === 0,
    );
    expect(await idsOf({ email: 'ADA.LOVELACE@analytical-engine.example' })).toEqual(['lk-ada']);
    expect(await idsOf({ phone: '+44 20 7946 0958' })).toEqual(['lk-ada']);
    expect(await idsOf({ q: 'ada lo' })).toEqual(['lk-ada', 'lk-ada-lowe']);
  });

  it('finds an erased customer by nothing, and the others as before', async () => {
    const response = await app.post<{ readonly globalPosition: number; readonly readModels: string }>(
      `/admin/customers/${ADA.customerId}/erase`,
      { reason: 'gdpr-art-17' },
    );
    expect(response.statusCode).toBe(200);
    expect(response.body.readModels).toBe('scrubbed');
    position = response.body.globalPosition;
    expect(await idsOf({ email: ADA.email })).toEqual([]);
    expect(await idsOf({ phone: ADA.phone })).toEqual([]);
    expect(await idsOf({ q: 'ada lo' })).toEqual(['lk-ada-lowe']);
    expect(await idsOf({ q: '[erased]' })).toEqual([]);
    // Still in the list (the pseudonymous facts stay), under the placeholder.
    const erased = (await list({ segment: 'vip', kind: 'person' })).items[0];
    expect(erased).toMatchObject({ customerId: 'lk-ada', name: '[erased]' });
    expect(
      findOnDisk(app.config.dataDir, [ADA.name, ADA.email.trim().toLowerCase(), '+442079460958']),
    ).toEqual([]);
  });
});
