/**
 * One sentence per cluster event for the activity feed, in Kafka's terms.
 */
import type { ClusterEvent } from '../../core/host/contract';

/** The sentence for an event, and whether it is bad news. */
export function describeEvent(event: ClusterEvent): { text: string; tone: 'info' | 'warn' | 'bad' } {
  switch (event.type) {
    case 'broker.started':
      return { text: `Broker ${event.brokerId} started${event.recovery.cleanShutdown ? '' : ', recovering after a crash'}`, tone: 'info' };
    case 'broker.stopped':
      return { text: `Broker ${event.brokerId} ${event.graceful ? 'shut down cleanly' : 'stopped (crash)'}`, tone: 'bad' };
    case 'broker.registered':
      return { text: `Broker ${event.brokerId} registered (broker epoch ${event.brokerEpoch})`, tone: 'info' };
    case 'broker.fenced':
      return { text: `Broker ${event.brokerId} fenced: ${event.reason}`, tone: 'warn' };
    case 'broker.unfenced':
      return { text: `Broker ${event.brokerId} unfenced`, tone: 'info' };
    case 'broker.added':
      return { text: `Broker ${event.brokerId} added`, tone: 'info' };
    case 'controller.changed':
      return { text: `Controller moved to broker ${event.controllerId} (${event.reason})`, tone: 'warn' };
    case 'topic.created':
      return { text: `Topic ${event.topic} created: ${event.partitions} partitions, replication factor ${event.replicationFactor}`, tone: 'info' };
    case 'topic.deleted':
      return { text: `Topic ${event.topic} deleted`, tone: 'warn' };
    case 'topic.partitions-added':
      return { text: `Topic ${event.topic} grew from ${event.previousPartitions} to ${event.partitions} partitions`, tone: 'info' };
    case 'topic.config-changed':
      return { text: `Topic ${event.topic}'s configs changed`, tone: 'info' };
    case 'leader.elected':
      return {
        text:
          event.leader < 0
            ? `${event.topic}-${event.partition} went offline (no in-sync replica alive)`
            : `${event.topic}-${event.partition}: broker ${event.leader} leads (epoch ${event.leaderEpoch}${event.previousLeader >= 0 ? `, was broker ${event.previousLeader}` : ''})`,
        tone: event.leader < 0 ? 'bad' : 'info',
      };
    case 'isr.shrunk':
      return { text: `${event.topic}-${event.partition}: broker ${event.removed.join(', ')} left the ISR`, tone: 'warn' };
    case 'isr.expanded':
      return { text: `${event.topic}-${event.partition}: broker ${event.added.join(', ')} rejoined the ISR`, tone: 'info' };
    case 'replica.truncated':
      return { text: `${event.topic}-${event.partition} on broker ${event.brokerId} truncated from ${event.fromOffset} to ${event.toOffset}`, tone: 'warn' };
    case 'log.segments-deleted':
      return { text: `${event.topic}-${event.partition} on broker ${event.brokerId}: retention deleted ${event.segments} segments`, tone: 'info' };
    case 'group.state-changed':
      return { text: `Group ${event.groupId}: ${event.previousState} → ${event.state} (generation ${event.generationId})`, tone: event.state === 'Dead' ? 'warn' : 'info' };
    case 'group.rebalance-started':
      return { text: `Group ${event.groupId} rebalancing: ${event.reason}${event.detail ? ` (${event.detail})` : ''}`, tone: event.reason === 'session timeout' ? 'warn' : 'info' };
    case 'group.rebalance-completed':
      return { text: `Group ${event.groupId} stable in generation ${event.generationId}: ${event.members} members, ${event.protocol ?? 'no'} assignor, ${event.durationMs} ms`, tone: 'info' };
    case 'group.assignment-changed': {
      const moved = event.members.reduce((sum, m) => sum + m.assigned.length, 0);
      return { text: `Group ${event.groupId} generation ${event.generationId}: ${moved} partition${moved === 1 ? '' : 's'} assigned across ${event.members.length} members`, tone: 'info' };
    }
    case 'group.offsets-committed': {
      const groups = new Set(event.commits.map((c) => c.groupId));
      return { text: `Offsets committed by ${groups.size} group${groups.size === 1 ? '' : 's'}`, tone: 'info' };
    }
    case 'group.coordinator-loaded':
      return { text: `Broker ${event.coordinator} took over __consumer_offsets-${event.partition}: ${event.groups} groups, ${event.offsets} offsets loaded`, tone: 'info' };
    case 'partition.reassignment-started':
      return {
        text: `${event.topic}-${event.partition} reassigning to [${event.replicas.join(', ')}]: adding ${event.adding.length > 0 ? `broker ${event.adding.join(', ')}` : 'none'}, then removing ${event.removing.length > 0 ? `broker ${event.removing.join(', ')}` : 'none'}`,
        tone: 'info',
      };
    case 'partition.reassignment-completed':
      return { text: `${event.topic}-${event.partition} reassigned to [${event.replicas.join(', ')}]${event.removed.length > 0 ? `; broker ${event.removed.join(', ')} dropped its replica` : ''}`, tone: 'info' };
    case 'fault.applied':
      return {
        text: event.fault.kind === 'isolated' ? `Fault: broker ${event.fault.brokerId} isolated from the other brokers and the controller` : `Fault: broker ${event.fault.brokerId}'s fetches slowed by ${event.fault.delayMs} ms`,
        tone: 'bad',
      };
    case 'fault.cleared':
      return { text: event.fault.kind === 'isolated' ? `Healed: broker ${event.fault.brokerId} reconnected` : `Healed: broker ${event.fault.brokerId}'s fetches at full speed`, tone: 'info' };
    default:
      return { text: (event as { type: string }).type, tone: 'info' };
  }
}
