import { randomBytes } from 'node:crypto';
import { Secret } from '@crm/platform';
import { masterKey } from '../testing/keys';
import { DecryptionFailedError } from './aes-gcm';
import { MasterKeyring, UnknownMasterKeyError } from './master-keyring';

describe('MasterKeyring', () => {
  const dataKey = randomBytes(32);

  it('wraps under the first (current) key and unwraps with it', () => {
    const keyring = MasterKeyring.of([masterKey('new'), masterKey('old')]);
    const wrapped = keyring.wrap('ada', dataKey);
    expect(wrapped.masterKeyId).toBe('new');
    expect(wrapped.wrapped.includes(dataKey)).toBe(false);
    expect(keyring.unwrap('ada', wrapped)).toEqual(dataKey);
  });

  it('unwraps what an older key wrapped while that key is configured', () => {
    const old = masterKey('old');
    const wrapped = MasterKeyring.of([old]).wrap('ada', dataKey);
    expect(MasterKeyring.of([masterKey('new'), old]).unwrap('ada', wrapped)).toEqual(dataKey);
    expect(() => MasterKeyring.of([masterKey('new')]).unwrap('ada', wrapped)).toThrow(UnknownMasterKeyError);
  });

  it("binds a wrapped key to its customer: another customer's record does not open", () => {
    const keyring = MasterKeyring.of([masterKey('k')]);
    expect(() => keyring.unwrap('bob', keyring.wrap('ada', dataKey))).toThrow(DecryptionFailedError);
  });

  it('seals a secret of ours under the current key, bound to its purpose', () => {
    const keyring = MasterKeyring.of([masterKey('new'), masterKey('old')]);
    const sealed = keyring.sealSecret('webhook:1', 'whsec_abc');

    expect(sealed.masterKeyId).toBe('new');
    expect(Buffer.from(sealed.sealed, 'base64').includes('whsec_abc')).toBe(false);
    expect(keyring.openSecret('webhook:1', sealed)).toBe('whsec_abc');
    expect(() => keyring.openSecret('webhook:2', sealed)).toThrow(DecryptionFailedError);
    expect(() => MasterKeyring.of([masterKey('old')]).openSecret('webhook:1', sealed)).toThrow(
      UnknownMasterKeyError,
    );
  });

  it('rejects an empty keyring and a key of the wrong size', () => {
    expect(() => MasterKeyring.of([])).toThrow(RangeError);
    const short = { id: 'short', key: new Secret(randomBytes(16).toString('base64')) };
    expect(() => MasterKeyring.of([short])).toThrow(RangeError);
  });
});
