import { generateApiKey, hashSecret, parseApiKey, secretMatches } from './api-key';

const NOW = new Date('2026-01-02T03:04:05.000Z');

describe('API keys', () => {
  it('issues crm_<id>_<secret> keys whose record holds the hash, never the secret', () => {
    const { key, record } = generateApiKey('importer', ['ingest'], NOW);
    const parsed = parseApiKey(key);

    expect(parsed).toEqual({ id: record.id, secret: expect.any(String) as string });
    expect(record).toEqual({
      id: parsed?.id,
      name: 'importer',
      roles: ['ingest'],
      secretHash: hashSecret(parsed?.secret ?? ''),
      createdAt: '2026-01-02T03:04:05.000Z',
      revokedAt: null,
    });
    expect(JSON.stringify(record)).not.toContain(parsed?.secret);
  });

  it('draws a different id and secret for every key', () => {
    const first = parseApiKey(generateApiKey('a', ['read'], NOW).key);
    const second = parseApiKey(generateApiKey('a', ['read'], NOW).key);

    expect(first?.id).not.toBe(second?.id);
    expect(first?.secret).not.toBe(second?.secret);
  });

  it('keeps each role once', () => {
    expect(generateApiKey('a', ['read', 'read', 'admin'], NOW).record.roles).toEqual(['read', 'admin']);
  });

  it.each([
    ['an empty string', ''],
    ['another prefix', 'key_0123456789abcdef_' + 'a'.repeat(43)],
    ['a short id', 'crm_0123_' + 'a'.repeat(43)],
    ['a short secret', 'crm_0123456789abcdef_' + 'a'.repeat(42)],
    ['trailing text', 'crm_0123456789abcdef_' + 'a'.repeat(43) + ' '],
  ])('parses %s as no key', (_label, key) => {
    expect(parseApiKey(key)).toBeNull();
  });

  it('matches a secret against its hash only', () => {
    const hash = hashSecret('s3cret');

    expect(secretMatches('s3cret', hash)).toBe(true);
    expect(secretMatches('s3creT', hash)).toBe(false);
    expect(secretMatches('s3cret', 'abcd')).toBe(false);
  });
});
