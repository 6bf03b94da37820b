import type { AudienceFacts } from '@crm/projections';
import { admits, type AudienceMember, audienceLines } from './audience-lines';
import type { AudienceQuery } from './audience.query';

const QUERY: AudienceQuery = {
  purpose: 'marketing_email',
  valueTier: undefined,
  stage: undefined,
  lastTouchBefore: null,
  lastTouchAfter: null,
  format: 'ndjson',
};

function facts(overrides: Partial<AudienceFacts> = {}): AudienceFacts {
  return {
    erased: false,
    lastTouchAt: '2026-03-01T00:00:00.000Z',
    consents: [{ purpose: 'marketing_email', granted: true, at: '2026-01-01T00:00:00.000Z', position: 2 }],
    ...overrides,
  };
}

async function collect(lines: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const line of lines) text += line;
  return text;
}

async function* members(...items: AudienceMember[]): AsyncGenerator<AudienceMember> {
  for (const item of items) yield await Promise.resolve(item);
}

describe('audience admission', () => {
  it('admits a consenting customer who is not erased', () => {
    expect(admits(facts(), QUERY)).toBe(true);
  });

  it('leaves out a customer without campaign facts, without a statement, refusing, or erased', () => {
    expect(admits(undefined, QUERY)).toBe(false);
    expect(admits(facts({ consents: [] }), QUERY)).toBe(false);
    expect(
      admits(
        facts({ consents: [{ purpose: 'marketing_email', granted: false, at: 'x', position: 3 }] }),
        QUERY,
      ),
    ).toBe(false);
    expect(admits(facts(), { ...QUERY, purpose: 'sms' })).toBe(false);
    expect(admits(facts({ erased: true }), QUERY)).toBe(false);
  });

  it('bounds the last touch: after inclusive, before exclusive, no touch left out', () => {
    const at = '2026-03-01T00:00:00.000Z';
    expect(admits(facts(), { ...QUERY, lastTouchAfter: at })).toBe(true);
    expect(admits(facts(), { ...QUERY, lastTouchBefore: at })).toBe(false);
    expect(admits(facts(), { ...QUERY, lastTouchBefore: '2026-03-01T00:00:00.001Z' })).toBe(true);
    expect(admits(facts({ lastTouchAt: null }), { ...QUERY, lastTouchAfter: at })).toBe(false);
    expect(admits(facts({ lastTouchAt: null }), QUERY)).toBe(true);
  });
});

describe('audience lines', () => {
  const member: AudienceMember = {
    customerId: 'c-1',
    kind: 'company',
    segment: '@risk, "big"',
    stage: 'conversion',
    valueTier: 'core',
    lastTouchAt: null,
  };

  it('writes CSV with a header, quoting and a leading quote before formula characters', async () => {
    expect(await collect(audienceLines(members(member), 'csv'))).toBe(
      'customerId,kind,segment,stage,valueTier,lastTouchAt\r\n' +
        `c-1,company,"'@risk, ""big""",conversion,core,\r\n`,
    );
  });

  it('writes one JSON object a line as NDJSON, and nothing for an empty audience', async () => {
    expect(await collect(audienceLines(members(member), 'ndjson'))).toBe(`${JSON.stringify(member)}\n`);
    expect(await collect(audienceLines(members(), 'ndjson'))).toBe('');
    expect(await collect(audienceLines(members(), 'csv'))).toBe(
      'customerId,kind,segment,stage,valueTier,lastTouchAt\r\n',
    );
  });
});
