import { type EventRef, isPromoterScore, sortedByRef } from '../shared';
import { JOURNEY_STAGES, type JourneyFacts, type JourneyStage, type StageReached } from './journey.document';

/** One fact that can move a stage, placed in history. */
type Step = EventRef &
  (
    | { readonly kind: 'registered' }
    | { readonly kind: 'inbound' }
    | { readonly kind: 'order' }
    | { readonly kind: 'nps'; readonly score: number }
  );

type WalkState = {
  readonly registered: boolean;
  readonly inbound: boolean;
  readonly orders: number;
  /** The latest NPS answer so far in the walk, i.e. as of the current moment. */
  readonly latestNps: number | null;
};

const START: WalkState = { registered: false, inbound: false, orders: 0, latestNps: null };

/** Each stage's own condition (domain.md); loyalty includes retention by definition. */
const CONDITIONS: Readonly<Record<JourneyStage, (state: WalkState) => boolean>> = {
  reach: (state) => state.registered,
  acquisition: (state) => state.inbound,
  conversion: (state) => state.orders >= 1,
  retention: (state) => state.orders >= 2,
  loyalty: (state) => state.orders >= 2 && state.latestNps !== null && isPromoterScore(state.latestNps),
};

export function stageRank(stage: JourneyStage): number {
  return JOURNEY_STAGES.indexOf(stage);
}

/**
 * Replays the stage-moving facts in occurredAt order (ties by log order) and
 * records each climb. Because it starts from the facts every time, a
 * back-dated event yields the same history as if it had been logged in
 * order, and replay yields the same history again.
 */
export function deriveStageHistory(facts: JourneyFacts): StageReached[] {
  const history: StageReached[] = [];
  let state = START;
  for (const step of stepsOf(facts)) {
    state = applyStep(state, step);
    // Nothing happens in the journey before the customer exists in it; earlier facts count at registration.
    if (state.registered) history.push(...climbs(state, history, step.occurredAt));
  }
  return history;
}

/** The highest stage in a history; reach once registered. */
export function stageOf(history: readonly StageReached[]): JourneyStage {
  return history[history.length - 1]?.stage ?? 'reach';
}

function stepsOf(facts: JourneyFacts): Step[] {
  const steps: Step[] = [
    { ...facts.registration, kind: 'registered' },
    ...facts.orders.map((order): Step => ({ ...refPart(order), kind: 'order' })),
    ...facts.npsAnswers.map((answer): Step => ({ ...refPart(answer), kind: 'nps', score: answer.score })),
  ];
  if (facts.firstInbound !== null) steps.push({ ...facts.firstInbound, kind: 'inbound' });
  return sortedByRef(steps);
}

function refPart(ref: EventRef): EventRef {
  return { occurredAt: ref.occurredAt, position: ref.position };
}

function applyStep(state: WalkState, step: Step): WalkState {
  switch (step.kind) {
    case 'registered':
      return { ...state, registered: true };
    case 'inbound':
      return { ...state, inbound: true };
    case 'order':
      return { ...state, orders: state.orders + 1 };
    case 'nps':
      return { ...state, latestNps: step.score };
  }
}

/**
 * The stages climbed at this instant: every stage above the current one up
 * to the highest whose own condition now holds. A stage jumped over is
 * recorded too, at the same instant as the event that jumped it (fixture
 * choice C5): a purchase with no inbound touchpoint before it reaches
 * acquisition and conversion together, so the history always lists each
 * stage up to the current one, in order, exactly once.
 */
function climbs(state: WalkState, history: readonly StageReached[], at: string): StageReached[] {
  const current = history.length === 0 ? -1 : stageRank(stageOf(history));
  const holding = JOURNEY_STAGES.filter((stage) => CONDITIONS[stage](state)).map(stageRank);
  const highest = Math.max(-1, ...holding);
  return JOURNEY_STAGES.slice(current + 1, highest + 1).map((stage) => ({ stage, reachedAt: at }));
}
