import type { Decider } from '../decider';
import { DomainError } from '../errors/domain-error';
import { DeciderSpecification } from './decider-specification';

type Counter = { readonly value: number };
type Increment = { readonly by: number };
type Incremented = { readonly by: number };

/** A toy decider: increments must be positive. */
const counter: Decider<Counter, Increment, Incremented> = {
  initialState: () => ({ value: 0 }),
  evolve: (state, event) => ({ value: state.value + event.by }),
  decide: (command, state) => {
    if (command.by <= 0) {
      throw new DomainError(
        'COUNTER.NOT_POSITIVE',
        'rule_violation',
        `cannot add ${command.by} to ${state.value}`,
        [{ field: 'by', code: 'COUNTER.NOT_POSITIVE', message: 'must be positive' }],
      );
    }
    return [{ by: command.by }];
  },
};

const spec = DeciderSpecification.for(counter);

describe('DeciderSpecification', () => {
  it('passes when the decided events equal `then`', () => {
    spec({ given: [{ by: 1 }], when: { by: 2 }, then: [{ by: 2 }] });
  });

  it('fails when the decided events differ from `then`', () => {
    expect(() => spec({ given: [], when: { by: 2 }, then: [{ by: 3 }] })).toThrow();
  });

  it('folds `given` into the state the command is decided against', () => {
    spec({
      given: [{ by: 1 }, { by: 4 }],
      when: { by: -1 },
      thenThrows: { code: 'COUNTER.NOT_POSITIVE', message: 'to 5' },
    });
  });

  it('passes when the expected DomainError is thrown, matching kind and details', () => {
    spec({
      given: [],
      when: { by: 0 },
      thenThrows: { code: 'COUNTER.NOT_POSITIVE', kind: 'rule_violation', details: [{ field: 'by' }] },
    });
  });

  it('fails when the command is accepted instead of rejected', () => {
    expect(() => spec({ given: [], when: { by: 1 }, thenThrows: 'COUNTER.NOT_POSITIVE' })).toThrow(
      'Expected a DomainError COUNTER.NOT_POSITIVE, but the command was accepted',
    );
  });

  it('fails on another code, kind or missing detail', () => {
    expect(() => spec({ given: [], when: { by: 0 }, thenThrows: 'OTHER.CODE' })).toThrow();
    expect(() =>
      spec({ given: [], when: { by: 0 }, thenThrows: { code: 'COUNTER.NOT_POSITIVE', kind: 'conflict' } }),
    ).toThrow();
    expect(() =>
      spec({
        given: [],
        when: { by: 0 },
        thenThrows: { code: 'COUNTER.NOT_POSITIVE', details: [{ field: 'other' }] },
      }),
    ).toThrow();
  });
});
