import type { CrmEvent, CustomerRegistered, PurchaseCompleted, PurchaseRefunded } from '../events/catalogue';
import type { CustomerState, SupportCaseState } from './customer.state';

const UNOPENED_CASE: SupportCaseState = { opened: false, responded: false, resolved: false };

/**
 * Folds one recorded event into the decision state. Total over CrmEvent and
 * never throws: the log is the truth, so even a fact the decider would now
 * reject (older rules, imports) must replay. Where a fact repeats, the first
 * one wins, which is what the decider enforced when it was recorded.
 */
export function evolve(state: CustomerState, event: CrmEvent): CustomerState {
  switch (event.type) {
    case 'CustomerRegistered':
      return registered(state, event);
    case 'PurchaseCompleted':
      return purchaseCompleted(state, event);
    case 'PurchaseRefunded':
      return purchaseRefunded(state, event);
    case 'SupportCaseOpened':
      return withCase(state, event.data.caseId, { opened: true });
    case 'SupportCaseResponded':
      return withCase(state, event.data.caseId, { responded: true });
    case 'SupportCaseResolved':
      return withCase(state, event.data.caseId, { resolved: true });
    case 'CustomerErased':
      return { ...state, erased: true };
    case 'CustomersMerged':
      // On the survivor's stream it changes no rule: the merged history lives in the projections.
      return event.data.mergedId === state.customerId && state.mergedInto === null
        ? { ...state, mergedInto: event.data.survivorId }
        : state;
    case 'CustomerProfileUpdated':
    case 'ConsentChanged':
    case 'CallLogged':
    case 'EmailLogged':
    case 'MessageLogged':
    case 'MeetingHeld':
    case 'SurveyAnswered':
    case 'CampaignInteraction':
      // No rule depends on these; the projections read them.
      return state;
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

function registered(state: CustomerState, event: CustomerRegistered): CustomerState {
  if (state.registered) return state;
  return { ...state, registered: true, customerId: event.data.customerId, kind: event.data.kind };
}

function purchaseCompleted(state: CustomerState, event: PurchaseCompleted): CustomerState {
  const { orderId, amount, currency, channel } = event.data;
  if (state.orders.has(orderId)) return state;
  const orders = new Map(state.orders).set(orderId, { paid: amount, currency, channel, refunded: 0 });
  return { ...state, orders };
}

function purchaseRefunded(state: CustomerState, event: PurchaseRefunded): CustomerState {
  const order = state.orders.get(event.data.orderId);
  if (order === undefined) return state;
  const orders = new Map(state.orders).set(event.data.orderId, {
    ...order,
    refunded: order.refunded + event.data.amount,
  });
  return { ...state, orders };
}

function withCase(state: CustomerState, caseId: string, change: Partial<SupportCaseState>): CustomerState {
  const current = state.supportCases.get(caseId) ?? UNOPENED_CASE;
  const supportCases = new Map(state.supportCases).set(caseId, { ...current, ...change });
  return { ...state, supportCases };
}
