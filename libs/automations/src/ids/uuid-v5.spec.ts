import { AUTOMATION_NAMESPACE, automatedEventId, RULES } from './automation-ids';
import { uuidV5 } from './uuid-v5';

const DNS_NAMESPACE = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';

describe('uuidV5', () => {
  it('gives the RFC 4122 example: www.example.com in the DNS namespace', () => {
    expect(uuidV5('www.example.com', DNS_NAMESPACE)).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('gives the well-known v5 of python.org in the DNS namespace', () => {
    expect(uuidV5('python.org', DNS_NAMESPACE)).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });

  it('sets version 5 and the RFC 4122 variant, and is stable for the same name', () => {
    const id = uuidV5('anything', AUTOMATION_NAMESPACE);

    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidV5('anything', AUTOMATION_NAMESPACE)).toBe(id);
    expect(uuidV5('anything else', AUTOMATION_NAMESPACE)).not.toBe(id);
  });

  it('refuses a namespace that is not a UUID', () => {
    expect(() => uuidV5('x', 'not-a-uuid')).toThrow('Not a UUID: not-a-uuid');
  });
});

describe('automatedEventId', () => {
  it('is the v5 of "<trigger>/<rule>" in the automation namespace, one id per rule', () => {
    const trigger = '3f1c2b9e-8d4a-4c6b-9e2f-1a2b3c4d5e6f';

    expect(automatedEventId(trigger, RULES.breach)).toBe(
      uuidV5(`${trigger}/service-level.breach`, AUTOMATION_NAMESPACE),
    );
    expect(automatedEventId(trigger, RULES.breach)).not.toBe(automatedEventId(trigger, RULES.followUp));
  });
});
