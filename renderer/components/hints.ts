/**
 * Short explanations of Kafka's terms, shown on hover wherever the term appears, so every
 * control says what it does in Kafka's words without sending anyone to the docs.
 */
export const HINTS: Record<string, string> = {
  broker: 'A Kafka server. It stores replicas of partitions and serves producers and consumers.',
  controller: 'The broker that runs the active controller: it registers brokers, creates topics, elects leaders and records ISR changes.',
  leader: 'The replica that takes every produce and fetch for its partition. Followers copy it.',
  'preferred leader': 'The first replica in the list: leadership returns to it when a preferred leader election runs.',
  follower: 'A replica that copies the leader by fetching from it.',
  isr: 'In-sync replicas: the leader plus the followers that caught up within replica.lag.time.max.ms. Only they may become leader.',
  'out of sync': 'A follower that fell behind the leader for longer than replica.lag.time.max.ms (or whose broker stopped). It left the ISR.',
  offline: 'No in-sync replica is alive, so the partition has no leader: it cannot be written or read.',
  partitions: 'A topic is split into partitions: ordered logs, each with its own leader. More partitions allow more parallel consumers.',
  'replication factor': 'How many brokers hold a copy of each partition (1 to the number of live brokers).',
  'min.insync.replicas': 'How many replicas must have a record before acks=all succeeds. With fewer in sync, producers get NOT_ENOUGH_REPLICAS.',
  'retention.ms': 'How long records are kept before their log segment is deleted (-1 keeps them forever).',
  'retention.bytes': 'How large a partition may grow before old segments are deleted (-1: no limit).',
  'cleanup.policy': 'delete removes old segments; compact keeps only the newest record per key.',
  acks: 'How many replicas must have a record before the producer hears success: 0 none, 1 the leader, all every in-sync replica.',
  key: 'Records with the same key go to the same partition (murmur2 hash of the key, as Kafka’s Java client does).',
  partition: 'Automatic: the partitioner chooses (by key, or one partition per batch for keyless records).',
  headers: 'Extra name/value pairs carried with the record, not used for partitioning.',
  'log end offset': 'LEO: the offset the next record appended to this replica will get.',
  'high watermark': 'HW: records below it are on every in-sync replica, and only those are visible to consumers.',
  lag: 'How many records this replica is behind the leader’s log end offset.',
  'leader epoch': 'Increases each time the partition gets a new leader; followers use it to truncate diverged logs.',
  'under-replicated': 'Partitions whose ISR is smaller than their replica list: a broker is down or behind.',
  offset: 'A record’s position in its partition: 0, 1, 2 … never reused.',
  'log start offset': 'The first offset still kept: retention deletes whole segments and moves it forward.',
  'broker epoch': 'Increases each time the broker registers with the controller (after every start).',
  fenced: 'The controller fenced this broker (stopped, starting, or silent past broker.session.timeout.ms): it leads nothing.',
  'group.id': 'The consumer group: members share the partitions of the topics they subscribe to, each partition owned by one member.',
  'consume rate': 'How many records each member processes per second; slower than the producers and lag grows.',
  'partition.assignment.strategy': 'The assignor the group leader runs to split partitions among members. Eager ones revoke everything on each rebalance; cooperative-sticky moves only what must move.',
  generation: 'Every completed rebalance starts a new generation of the group; commits from an older generation are refused (ILLEGAL_GENERATION).',
  coordinator: 'The broker leading the group\'s partition of __consumer_offsets: it runs the group\'s rebalances and stores its commits.',
  'group lag': 'Records the group has not consumed yet: the high watermark minus the committed offset.',
  'session.timeout.ms': 'A member silent this long is removed from the group, and its partitions go to the others.',
};

/** The hint for a term, if there is one. */
export function hintFor(term: string): string | undefined {
  return HINTS[term.toLowerCase()] ?? HINTS[term];
}
