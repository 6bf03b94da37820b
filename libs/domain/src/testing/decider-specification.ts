import type { Decider } from '../decider';
import { DomainError, type DomainErrorKind, type ErrorDetail } from '../errors/domain-error';

/** What a rejection must look like; omitted fields are not checked. */
export type ExpectedDomainError = {
  readonly code: string;
  readonly kind?: DomainErrorKind;
  /** A substring or pattern of the message. */
  readonly message?: string | RegExp;
  /** Each listed detail must appear (partial match). */
  readonly details?: readonly Partial<ErrorDetail>[];
};

export type DeciderScenario<Command, Event> = {
  /** The stream so far, folded with `evolve` from `initialState()`. */
  readonly given: readonly Event[];
  readonly when: Command;
} & ({ readonly then: readonly Event[] } | { readonly thenThrows: string | ExpectedDomainError });

/**
 * Given/when/then for deciders (after emmett's DeciderSpecification):
 *
 *   const spec = DeciderSpecification.for(customerDecider);
 *   spec({ given: [registered], when: command, then: [event] });
 *   spec({ given: [], when: command, thenThrows: 'CUSTOMER.NOT_FOUND' });
 */
export const DeciderSpecification = {
  for<State, Command, Event>(decider: Decider<State, Command, Event>) {
    return (scenario: DeciderScenario<Command, Event>): void => {
      const state = scenario.given.reduce(
        (current, event) => decider.evolve(current, event),
        decider.initialState(),
      );
      const act = (): Event[] => decider.decide(scenario.when, state);
      if ('then' in scenario) {
        expect(act()).toEqual(scenario.then);
      } else {
        expectDomainError(act, scenario.thenThrows);
      }
    };
  },
};

function expectDomainError(act: () => unknown, expected: string | ExpectedDomainError): void {
  const { code, kind, message, details } = typeof expected === 'string' ? { code: expected } : expected;
  let thrown: unknown;
  try {
    act();
  } catch (error) {
    thrown = error;
  }
  if (thrown === undefined) throw new Error(`Expected a DomainError ${code}, but the command was accepted`);
  expect(thrown).toBeInstanceOf(DomainError);
  if (!(thrown instanceof DomainError)) return;
  expect(thrown.code).toBe(code);
  if (kind !== undefined) expect(thrown.kind).toBe(kind);
  if (message !== undefined) expect(thrown.message).toMatch(message);
  if (details !== undefined) {
    for (const detail of details) expect(thrown.details).toContainEqual(expect.objectContaining(detail));
  }
}
