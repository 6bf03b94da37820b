import type { EventStore } from '@crm/event-store';
import type { Metrics } from './metrics';

/**
 * The configured event store with its appends timed and counted; the cost is
 * one clock read per append. Every other member passes straight through (a
 * proxy, so methods added to the port later need nothing here).
 */
export function instrumentEventStore(store: EventStore, metrics: Metrics): EventStore {
  const append: EventStore['append'] = async (streamId, events, options) => {
    const stop = metrics.appendDuration.startTimer();
    try {
      const result = await store.append(streamId, events, options);
      stop({ outcome: 'ok' });
      const written = result.events.filter((event) => !event.duplicate).length;
      if (written > 0) metrics.appendedEvents.inc(written);
      return result;
    } catch (error) {
      stop({ outcome: 'error' });
      throw error;
    }
  };
  return new Proxy(store, {
    get(target, property) {
      if (property === 'append') return append;
      const value: unknown = Reflect.get(target, property, target);
      // Bound to the store itself: adapters keep private state the proxy cannot reach.
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
