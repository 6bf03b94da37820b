import { type EventRef, isPromoterScore, mergeByRef } from '../shared';
import { JOURNEY_STAGES, type JourneyFacts, type JourneyStage, type StageReached } from './journey.document';

/** One fact that can move a stage, placed in history. */
type Step = EventRef &
  (
    | { readonly kind: 'registered' }
    | { readonly kind: 'inbound' }
    | { readonly kind: 'order' }
    | { readonly kind: 'nps'; readonly score: number }
  );

/** Where the walk stands; changed in place, it lives for one walk only. */
type WalkState = {
  registered: boolean;
  inbound: boolean;
  orders: number;
  /** The latest NPS answer so far in the walk, i.e. as of the current moment. */
  latestNps: number | null;
};

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
  const state: WalkState = { registered: false, inbound: false, orders: 0, latestNps: null };
  for (const step of stepsOf(facts)) {
    applyStep(state, step);
    // Nothing happens in the journey before the customer exists in it; earlier facts count at registration.
    if (state.registered) climb(state, history, step.occurredAt);
  }
  return history;
}

/** The highest stage in a history; reach once registered. */
export function stageOf(history: readonly StageReached[]): JourneyStage {
  return history[history.length - 1]?.stage ?? 'reach';
}

/**
 * The facts in history order. Orders and NPS answers are kept in history
 * order already, so merging the lists gives what sorting them all together
 * would (a tie keeps the order registration, orders, answers, inbound), in
 * linear time: a fold runs this walk on every batch that changes the facts.
 */
function stepsOf(facts: JourneyFacts): Step[] {
  const orders = facts.orders.map((order) => step(order, 'order'));
  const answers = facts.npsAnswers.map(({ occurredAt, position, score }): Step => ({
    occurredAt,
    position,
    kind: 'nps',
    score,
  }));
  const inbound = facts.firstInbound === null ? [] : [step(facts.firstInbound, 'inbound')];
  return mergeByRef(
    mergeByRef(mergeByRef([step(facts.registration, 'registered')], orders), answers),
    inbound,
  );
}

/** Spelled out rather than spread from `ref`: V8 builds `{ ...ref, kind }` on a slow path. */
function step(ref: EventRef, kind: 'registered' | 'order' | 'inbound'): Step {
  return { occurredAt: ref.occurredAt, position: ref.position, kind };
}

function applyStep(state: WalkState, step: Step): void {
  switch (step.kind) {
    case 'registered':
      state.registered = true;
      return;
    case 'inbound':
      state.inbound = true;
      return;
    case 'order':
      state.orders += 1;
      return;
    case 'nps':
      state.latestNps = step.score;
      return;
  }
}

/**
 * Records the stages climbed at this instant: every stage above the current
 * one up to the highest whose own condition now holds. A stage jumped over is
 * recorded too, at the same instant as the event that jumped it (fixture
 * choice C5): a purchase with no inbound touchpoint before it reaches
 * acquisition and conversion together, so the history always lists each
 * stage up to the current one, in order, exactly once. Hence its length is
 * the rank of the next stage to record.
 */
function climb(state: WalkState, history: StageReached[], at: string): void {
  for (let rank = history.length; rank <= highestHolding(state); rank++) {
    history.push({ stage: JOURNEY_STAGES[rank] as JourneyStage, reachedAt: at });
  }
}

function highestHolding(state: WalkState): number {
  let rank = JOURNEY_STAGES.length - 1;
  while (rank >= 0 && !CONDITIONS[JOURNEY_STAGES[rank] as JourneyStage](state)) rank--;
  return rank;
}
