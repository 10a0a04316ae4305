/**
 * The UI benchmark's load, shared by the scripts that reproduce it (ui-bench, ui-profile and
 * test/sim/measure-follower-rounds): 6 brokers, 300 topics x 6 partitions x 3 replicas, and 20
 * steady producers (acks=1, keyless) writing 20,000 records a second in all, on 20 topics
 * spread over the map.
 */
export const UI_LOAD = {
  brokers: 6,
  topics: 300,
  partitions: 6,
  replicationFactor: 3,
  producers: 20,
  recordsPerSecond: 20_000,
  /** Each record's value: a sequence number and a payload of about 100 bytes in all. */
  value: '{"n":{{seq}},"payload":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}',
} as const;

/** The name of topic `index` of the load. */
export function loadTopic(index: number): string {
  return `topic-${String(index).padStart(3, '0')}`;
}

/** The topic producer `index` of `producers` writes to, spread evenly over `topics`. */
export function producerTopic(index: number, producers: number, topics: number = UI_LOAD.topics): string {
  return loadTopic(Math.floor((index * topics) / producers));
}
