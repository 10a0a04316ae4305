/**
 * One broker's data dir (Kafka's LogManager with the checkpoint duties of ReplicaManager):
 *
 *   meta.properties                    KRaft identity: version=1, node.id, cluster.id
 *   .kafka_cleanshutdown               present only between a clean shutdown and the next start
 *   recovery-point-offset-checkpoint   per partition: offset below which the log was flushed
 *   replication-offset-checkpoint      per partition: high watermark
 *   log-start-offset-checkpoint        per partition: log start offset
 *   <topic>-<partition>/               one Log each
 *
 * Opening without the clean-shutdown marker recovers every log from its recovery point.
 */
import { randomUUID } from 'node:crypto';
import {
  LOG_START_OFFSET_CHECKPOINT_FILE,
  RECOVERY_POINT_CHECKPOINT_FILE,
  REPLICATION_OFFSET_CHECKPOINT_FILE,
  type TopicPartitionOffset,
  readOffsetCheckpoint,
  writeOffsetCheckpoint,
} from './checkpoint';
import { Log, type LogConfig } from './log';
import type { Storage } from './storage';

/** The marker a clean shutdown leaves in the data dir. */
export const CLEAN_SHUTDOWN_FILE = '.kafka_cleanshutdown';
/** The data dir's identity file. */
export const META_PROPERTIES_FILE = 'meta.properties';
/** The file Kafka locks to own a data dir; created for the layout's sake. */
export const LOCK_FILE = '.lock';
/** Suffix of a partition dir being deleted (`<topic>-<partition>.<id>-delete`). */
export const DELETE_DIR_SUFFIX = '-delete';

/** A topic and partition. */
export interface TopicPartition {
  topic: string;
  partition: number;
}

/** The map key used for a partition: `${topic}-${partition}`, also its directory name. */
export function topicPartitionKey(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

/** The partition a directory name stands for (the partition follows the last '-'), or null. */
export function parseTopicPartition(name: string): TopicPartition | null {
  const match = /^(.+)-(\d+)$/.exec(name);
  if (match === null) return null;
  const partition = Number(match[2]);
  return Number.isSafeInteger(partition) ? { topic: match[1], partition } : null;
}

/** A data dir that belongs to another node or cluster, or has an unreadable meta.properties. */
export class MetaPropertiesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetaPropertiesError';
  }
}

/** What LogManager.open needs. */
export interface LogManagerOptions {
  nodeId: number;
  clusterId: string;
  now: number;
  /** The config of a topic whose logs are found on disk. */
  configFor: (topic: string) => LogConfig;
}

/** The logs of one broker's data dir. */
export class LogManager {
  private readonly logs = new Map<string, { key: TopicPartition; log: Log }>();
  private readonly savedHighWatermarks: Map<string, number>;
  private stopped = false;

  private constructor(
    private readonly storage: Storage,
    readonly dataDir: string,
    readonly cleanShutdown: boolean,
    highWatermarks: Map<string, number>,
    private readonly now: number,
  ) {
    this.savedHighWatermarks = highWatermarks;
  }

  /**
   * Opens the data dir: checks or writes meta.properties, reads the checkpoints, opens every
   * partition dir at its recovery point, and consumes the clean-shutdown marker.
   */
  static open(storage: Storage, dataDir: string, options: LogManagerOptions): LogManager {
    storage.mkdirp(dataDir);
    checkMetaProperties(storage, dataDir, options);
    storage.open(`${dataDir}/${LOCK_FILE}`).close();
    const cleanShutdown = storage.exists(`${dataDir}/${CLEAN_SHUTDOWN_FILE}`);
    const recoveryPoints = readOffsets(storage, `${dataDir}/${RECOVERY_POINT_CHECKPOINT_FILE}`);
    const logStartOffsets = readOffsets(storage, `${dataDir}/${LOG_START_OFFSET_CHECKPOINT_FILE}`);
    const highWatermarks = readOffsets(storage, `${dataDir}/${REPLICATION_OFFSET_CHECKPOINT_FILE}`);
    const manager = new LogManager(storage, dataDir, cleanShutdown, highWatermarks, options.now);
    for (const name of storage.list(dataDir)) {
      // A deletion interrupted by a crash: finish it.
      if (name.endsWith(DELETE_DIR_SUFFIX)) {
        storage.remove(`${dataDir}/${name}`);
        continue;
      }
      const key = parseTopicPartition(name);
      if (key === null) continue;
      const log = Log.open(storage, `${dataDir}/${name}`, options.configFor(key.topic), {
        recoveryPoint: recoveryPoints.get(name) ?? 0,
        cleanShutdown,
        logStartOffset: logStartOffsets.get(name),
        now: options.now,
      });
      manager.logs.set(name, { key, log });
    }
    // Only now: a crash while loading must still mean an unclean start next time.
    if (cleanShutdown) storage.remove(`${dataDir}/${CLEAN_SHUTDOWN_FILE}`);
    return manager;
  }

  /** High watermarks by `${topic}-${partition}`, from replication-offset-checkpoint and later checkpoints. */
  get highWatermarks(): ReadonlyMap<string, number> {
    return this.savedHighWatermarks;
  }

  /** The log of a partition, if this data dir has it. */
  getLog(topic: string, partition: number): Log | undefined {
    return this.logs.get(topicPartitionKey(topic, partition))?.log;
  }

  /** The log of a partition, created empty when absent. `now` defaults to the time the manager opened. */
  getOrCreateLog(topic: string, partition: number, config: LogConfig, now = this.now): Log {
    this.checkRunning();
    const name = topicPartitionKey(topic, partition);
    const existing = this.logs.get(name);
    if (existing !== undefined) return existing.log;
    checkTopicPartition(topic, partition);
    const log = Log.open(this.storage, `${this.dataDir}/${name}`, config, { recoveryPoint: 0, cleanShutdown: true, now });
    this.logs.set(name, { key: { topic, partition }, log });
    return log;
  }

  /** Deletes a partition's log as Kafka does: rename the dir to `<name>.<id>-delete`, then remove it. */
  deleteLog(topic: string, partition: number): void {
    this.checkRunning();
    const name = topicPartitionKey(topic, partition);
    const entry = this.logs.get(name);
    if (entry === undefined) return;
    entry.log.closeAbruptly();
    const deleting = `${this.dataDir}/${name}.${randomUUID().replaceAll('-', '')}${DELETE_DIR_SUFFIX}`;
    this.storage.rename(entry.log.dir, deleting);
    this.storage.remove(deleting);
    this.logs.delete(name);
    this.savedHighWatermarks.delete(name);
  }

  /** Every log with its partition. */
  *allLogs(): IterableIterator<[key: TopicPartition, log: Log]> {
    for (const { key, log } of this.logs.values()) yield [key, log];
  }

  /**
   * Flushes every log (unless `flush` is false) and writes the three checkpoints. A log missing
   * from `highWatermarks` keeps the high watermark last checkpointed.
   */
  checkpoint(highWatermarks: Map<string, number>, options: { flush?: boolean } = {}): void {
    this.checkRunning();
    // Without `flush`, each recovery point is where that log was last flushed (on a roll).
    if (options.flush ?? true) for (const { log } of this.logs.values()) log.flush();
    const recoveryPoints: TopicPartitionOffset[] = [];
    const replicated: TopicPartitionOffset[] = [];
    const logStarts: TopicPartitionOffset[] = [];
    for (const [name, { key, log }] of this.logs) {
      recoveryPoints.push({ ...key, offset: log.recoveryPoint });
      logStarts.push({ ...key, offset: log.logStartOffset });
      const highWatermark = highWatermarks.get(name) ?? this.savedHighWatermarks.get(name);
      if (highWatermark === undefined) continue;
      this.savedHighWatermarks.set(name, highWatermark);
      replicated.push({ ...key, offset: highWatermark });
    }
    writeOffsetCheckpoint(this.storage, `${this.dataDir}/${RECOVERY_POINT_CHECKPOINT_FILE}`, recoveryPoints);
    writeOffsetCheckpoint(this.storage, `${this.dataDir}/${REPLICATION_OFFSET_CHECKPOINT_FILE}`, replicated);
    writeOffsetCheckpoint(this.storage, `${this.dataDir}/${LOG_START_OFFSET_CHECKPOINT_FILE}`, logStarts);
  }

  /** Clean shutdown: flush, checkpoints, close every log, then the clean-shutdown marker. */
  shutdown(highWatermarks: Map<string, number>): void {
    this.checkRunning();
    this.checkpoint(highWatermarks);
    for (const { log } of this.logs.values()) log.close();
    // Kafka 3.6+ writes the broker epoch here; this engine has none to record.
    this.storage.writeFileAtomic(`${this.dataDir}/${CLEAN_SHUTDOWN_FILE}`, '{"version":0,"brokerEpoch":-1}');
    this.stopped = true;
  }

  /** A crash: releases every log's handles and writes nothing. */
  crash(): void {
    if (this.stopped) return;
    for (const { log } of this.logs.values()) log.closeAbruptly();
    this.stopped = true;
  }

  private checkRunning(): void {
    if (this.stopped) throw new Error(`log manager for ${this.dataDir} is shut down`);
  }
}

/** Offsets of an offset checkpoint by `${topic}-${partition}`. */
function readOffsets(storage: Storage, path: string): Map<string, number> {
  return new Map(readOffsetCheckpoint(storage, path).map(({ topic, partition, offset }) => [topicPartitionKey(topic, partition), offset]));
}

/** Rejects names that cannot be a partition directory (Kafka allows [a-zA-Z0-9._-], 249 chars). */
function checkTopicPartition(topic: string, partition: number): void {
  if (!/^[a-zA-Z0-9._-]{1,249}$/.test(topic) || topic === '.' || topic === '..') throw new RangeError(`invalid topic name '${topic}'`);
  if (!Number.isSafeInteger(partition) || partition < 0) throw new RangeError(`invalid partition ${partition}`);
}

/** Writes meta.properties when absent; otherwise checks it names this node and cluster. */
function checkMetaProperties(storage: Storage, dataDir: string, options: LogManagerOptions): void {
  const path = `${dataDir}/${META_PROPERTIES_FILE}`;
  const data = storage.readFile(path);
  if (data === undefined) {
    storage.writeFileAtomic(path, formatMetaProperties(options));
    return;
  }
  const properties = parseProperties(data.toString('utf8'));
  const version = properties.get('version');
  const nodeId = version === '0' ? properties.get('broker.id') : properties.get('node.id');
  if (version !== '0' && version !== '1') throw new MetaPropertiesError(`${path}: unsupported version '${version ?? ''}'`);
  if (nodeId !== String(options.nodeId)) {
    throw new MetaPropertiesError(`${path}: stored node.id ${nodeId ?? '(none)'} does not match this broker's node.id ${options.nodeId}`);
  }
  const clusterId = properties.get('cluster.id');
  if (clusterId !== undefined && clusterId !== options.clusterId) {
    throw new MetaPropertiesError(`${path}: stored cluster.id ${clusterId} does not match the cluster's ${options.clusterId}`);
  }
}

/** meta.properties as Java's Properties.store writes it: a comment, a date, sorted keys. */
function formatMetaProperties(options: LogManagerOptions): string {
  return `#\n#${javaDate(options.now)}\ncluster.id=${options.clusterId}\nnode.id=${options.nodeId}\nversion=1\n`;
}

/** `EEE MMM dd HH:mm:ss zzz yyyy` in UTC, Java's Date.toString. */
function javaDate(now: number): string {
  const date = new Date(now);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
  return `${days[date.getUTCDay()]} ${months[date.getUTCMonth()]} ${two(date.getUTCDate())} ${time} UTC ${date.getUTCFullYear()}`;
}

/** key=value lines; '#' and '!' start comments. */
function parseProperties(text: string): Map<string, string> {
  const properties = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const separator = line.search(/[=:]/);
    if (separator < 0) continue;
    properties.set(line.slice(0, separator).trim(), line.slice(separator + 1).trim());
  }
  return properties;
}
