/**
 * The decider contract (emmett style): `decide` turns a command into the
 * events it causes (or throws), `evolve` folds one event into state, and
 * `initialState` is where every stream's fold starts. All three are pure, so
 * replaying a stream always rebuilds the same state.
 */
export type Decider<State, CommandType, EventType> = {
  decide: (command: CommandType, state: State) => EventType[];
  evolve: (state: State, event: EventType) => State;
  initialState: () => State;
};
