/**
 * The built-in assignors by Kafka's names, and the rebalance protocol a consumer follows given
 * its configured assignors (ConsumerCoordinator: the highest protocol all of them support).
 */
import { ASSIGNOR_NAMES, type AssignorName, type PartitionAssignor, type RebalanceProtocol } from './assignor';
import { RangeAssignor } from './range';
import { RoundRobinAssignor } from './round-robin';
import { CooperativeStickyAssignor, StickyAssignor } from './sticky-assignors';

export * from './assignor';
export { RangeAssignor } from './range';
export { RoundRobinAssignor } from './round-robin';
export { StickyAssignor, CooperativeStickyAssignor } from './sticky-assignors';

/** Whether `name` is one of Kafka's built-in assignor names. */
export function isAssignorName(name: unknown): name is AssignorName {
  return typeof name === 'string' && (ASSIGNOR_NAMES as readonly string[]).includes(name);
}

/** A fresh assignor instance (each consumer keeps its own: the sticky ones remember state). */
export function createAssignor(name: AssignorName): PartitionAssignor {
  switch (name) {
    case 'range':
      return new RangeAssignor();
    case 'roundrobin':
      return new RoundRobinAssignor();
    case 'sticky':
      return new StickyAssignor();
    case 'cooperative-sticky':
      return new CooperativeStickyAssignor();
  }
}

/** Cooperative only when every configured assignor supports it; otherwise eager. */
export function rebalanceProtocolFor(assignors: readonly PartitionAssignor[]): RebalanceProtocol {
  return assignors.every((assignor) => assignor.supportedProtocols.includes('cooperative')) ? 'cooperative' : 'eager';
}
