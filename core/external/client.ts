/**
 * The client side of an attached cluster, built on kafkajs 2.2.4 (pure JavaScript, and the one
 * maintained client that speaks both the old, non-flexible protocol versions that librdkafka's
 * mock cluster and older brokers serve and the versions current Kafka serves; @platformatic/kafka
 * 1.x on Node 20 speaks only flexible versions, so it cannot attach to those).
 *
 * kafkajs brings connections, TLS, SASL (plain, SCRAM), API-version negotiation, broker
 * discovery, the admin calls and the producer. Its public API lacks what a poller needs: one
 * ListOffsets per broker for every partition it leads (the admin asks per topic), Metadata v7+
 * (leader epochs; kafkajs stops at v6), per-partition error codes instead of one thrown error,
 * and a fetch at a chosen offset without a consumer group. For those, `request` sends a
 * message through kafkajs' own broker connections (its internal Cluster, imported from
 * `kafkajs/src/cluster`) with bodies written and read by Brokerscope's protocol codec, which
 * already knows every version of these messages. kafkajs is pinned (2.2.4): those internals
 * are not a public API and are checked by the tests in test/external.
 */
import { readFileSync } from 'node:fs';
import kafkajs, { type Admin, type KafkaConfig, type Producer, type SASLOptions } from 'kafkajs';
import InternalCluster, { type InternalBroker } from 'kafkajs/src/cluster/index.js';
import Encoder from 'kafkajs/src/protocol/encoder.js';
import { createLogger, LEVELS } from 'kafkajs/src/loggers/index.js';
import defaultSocketFactory from 'kafkajs/src/network/socketFactory.js';
import type { ConnectionOptions } from 'node:tls';
import { Reader, Writer, decode, encode, isFlexible, type Message } from '../kafka/protocol/codec';
import type { MessageSchema } from '../kafka/protocol/schema';
import { KafkaError } from '../protocol/errors';
import type { ResolvedConnection } from '../host/contract';
import { toKafkaError } from './errors';

// kafkajs is CommonJS: Node's ESM loader sees only its default export.
const { Kafka, logLevel: kafkaLogLevel } = kafkajs;

/** How long connecting to a broker may take. */
const CONNECTION_TIMEOUT_MS = 5_000;
/** How long one request may take before the poll counts as failed. */
const REQUEST_TIMEOUT_MS = 15_000;

/** `host:port` pairs of a bootstrap string; throws INVALID_REQUEST when none is valid. */
export function parseBootstrap(bootstrapServers: string): string[] {
  const servers = bootstrapServers
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const bad = servers.find((s) => !/^[^\s:]+:\d{1,5}$/.test(s) && !/^\[[0-9a-fA-F:]+\]:\d{1,5}$/.test(s));
  if (servers.length === 0) throw new KafkaError('INVALID_REQUEST', 'The connection names no bootstrap server (host:port, separated by commas).');
  if (bad) throw new KafkaError('INVALID_REQUEST', `'${bad}' is not a host:port bootstrap server.`);
  return servers;
}

/** The TLS options of a connection: false when off; the CA file is read from disk now. */
export function tlsOptions(connection: ResolvedConnection, readFile: (path: string) => string = (path) => readFileSync(path, 'utf8')): false | ConnectionOptions {
  if (!connection.tls.enabled) return false;
  const options: ConnectionOptions = { rejectUnauthorized: connection.tls.rejectUnauthorized };
  if (connection.tls.caFile) {
    try {
      options.ca = [readFile(connection.tls.caFile)];
    } catch (error) {
      throw new KafkaError('INVALID_REQUEST', `The CA file ${connection.tls.caFile} could not be read: ${(error as Error).message}`);
    }
  }
  return options;
}

/** The SASL options of a connection (kafkajs spells the mechanisms as the contract does). */
export function saslOptions(connection: ResolvedConnection): SASLOptions | undefined {
  const sasl = connection.sasl;
  if (!sasl) return undefined;
  switch (sasl.mechanism) {
    case 'plain':
      return { mechanism: 'plain', username: sasl.username, password: sasl.password };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', username: sasl.username, password: sasl.password };
    case 'scram-sha-512':
      return { mechanism: 'scram-sha-512', username: sasl.username, password: sasl.password };
  }
}

/** kafkajs' client configuration for a connection. */
export function kafkaConfigFor(connection: ResolvedConnection, readFile?: (path: string) => string): KafkaConfig {
  return {
    clientId: connection.clientId.trim() || 'brokerscope',
    brokers: parseBootstrap(connection.bootstrapServers),
    ssl: tlsOptions(connection, readFile),
    sasl: saslOptions(connection),
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    requestTimeout: REQUEST_TIMEOUT_MS,
    enforceRequestTimeout: true,
    logLevel: kafkaLogLevel.NOTHING,
    // Few retries: a poll that fails is reported and retried at the next (backed-off) interval.
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 },
  };
}

/** One Kafka API's request and response schemas. */
export interface ApiSchemas {
  name: string;
  request: MessageSchema;
  response: MessageSchema;
}

/** The connection to one external cluster: kafkajs' public clients and its broker pool. */
export class ExternalClient {
  readonly kafka: InstanceType<typeof Kafka>;
  private readonly cluster: InternalCluster;
  private admin: Promise<Admin> | null = null;
  private producer: Promise<Producer> | null = null;
  /** `id host:port` of the brokers kafkajs' pool knows, to notice when it must refresh. */
  private poolKey = '';

  constructor(
    readonly config: KafkaConfig,
    log: (line: string) => void = () => {},
  ) {
    this.kafka = new Kafka(config);
    const logCreator = () => (entry: { level: number; log: { message: string } }) => {
      if (entry.level <= LEVELS.ERROR) log(`kafkajs: ${entry.log.message}`);
    };
    this.cluster = new InternalCluster({
      logger: createLogger({ level: LEVELS.ERROR, logCreator }),
      socketFactory: defaultSocketFactory(),
      brokers: config.brokers,
      ssl: config.ssl,
      sasl: config.sasl,
      clientId: config.clientId,
      connectionTimeout: config.connectionTimeout,
      requestTimeout: config.requestTimeout,
      enforceRequestTimeout: true,
      metadataMaxAge: 300_000,
      retry: config.retry,
      allowAutoTopicCreation: false,
      maxInFlightRequests: null,
      isolationLevel: 0,
    });
  }

  /** Connects the broker pool (reads the metadata once). */
  async connect(): Promise<void> {
    try {
      await this.cluster.connect();
    } catch (error) {
      throw toKafkaError(error, `Could not connect to ${(this.config.brokers as string[]).join(',')}`);
    }
  }

  /** The admin client, connected on first use. */
  adminClient(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin({ retry: { retries: 2 } });
      await admin.connect();
      return admin;
    })();
    this.admin.catch(() => (this.admin = null));
    return this.admin;
  }

  /** The producer, connected on first use (no auto-creation: a produce to a missing topic fails). */
  producerClient(): Promise<Producer> {
    this.producer ??= (async () => {
      const producer = this.kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 3 } });
      await producer.connect();
      return producer;
    })();
    this.producer.catch(() => (this.producer = null));
    return this.producer;
  }

  /**
   * Makes kafkajs' broker pool match the brokers the metadata names (a broker joined, left or
   * moved), so requests can reach every one of them.
   */
  async syncBrokers(brokers: { id: number; host: string; port: number }[]): Promise<void> {
    const key = brokers.map((b) => `${b.id} ${b.host}:${b.port}`).join(',');
    if (key === this.poolKey) return;
    await this.cluster.refreshMetadata();
    this.poolKey = key;
  }

  /** Whether the brokers advertise API `apiKey` (checked on every broker the pool knows). */
  offers(apiKey: number): boolean {
    const brokers = [this.cluster.brokerPool.seedBroker, ...Object.values(this.cluster.brokerPool.brokers)].filter((b): b is InternalBroker => Boolean(b?.versions));
    return brokers.length > 0 && brokers.every((b) => b.versions![apiKey] !== undefined);
  }

  /** The broker ids kafkajs' pool can reach. */
  brokerIds(): number[] {
    return this.cluster.getNodeIds().map(Number);
  }

  /** Sends a request to broker `brokerId` (or any connected broker for null) and decodes the answer; `body` may depend on the version chosen. */
  async request(brokerId: number | null, api: ApiSchemas, body: Message | ((version: number) => Message), maxVersion = Infinity): Promise<Message> {
    let broker: InternalBroker;
    try {
      broker = brokerId === null ? await this.cluster.brokerPool.findConnectedBroker() : await this.cluster.findBroker({ nodeId: String(brokerId) });
    } catch (error) {
      throw toKafkaError(error, brokerId === null ? 'No broker could be reached' : `Broker ${brokerId} could not be reached`);
    }
    const version = negotiate(broker, api, maxVersion);
    const flexible = isFlexible(api.request, version);
    const protocolRequest = {
      request: {
        apiKey: api.request.apiKey,
        apiVersion: version,
        apiName: api.name,
        encode: async () => {
          const writer = new Writer();
          // kafkajs writes request header v1; a flexible request (header v2) adds the header's
          // empty tagged-field section, which is the first byte after the client id.
          if (flexible) writer.uvarint(0);
          encode(api.request, version, typeof body === 'function' ? body(version) : body, writer);
          const encoder = new Encoder();
          encoder.writeBufferInternal(Buffer.concat(writer.finish()));
          return encoder;
        },
      },
      response: {
        decode: async (payload: Buffer) => {
          const reader = new Reader(payload);
          if (isFlexible(api.response, version)) skipTaggedFields(reader);
          return decode(api.response, version, reader);
        },
        parse: async (message: Message) => message,
      },
    };
    try {
      return (await broker.connectionPool.send(protocolRequest)) as Message;
    } catch (error) {
      throw toKafkaError(error, `${api.name} to broker ${broker.nodeId ?? '?'} failed`);
    }
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    const closing: Promise<unknown>[] = [this.cluster.disconnect().catch(() => {})];
    if (this.admin) closing.push(this.admin.then((a) => a.disconnect()).catch(() => {}));
    if (this.producer) closing.push(this.producer.then((p) => p.disconnect()).catch(() => {}));
    await Promise.all(closing);
  }
}

/** The highest version both the broker and Brokerscope's codec speak, capped at `maxVersion`. */
function negotiate(broker: InternalBroker, api: ApiSchemas, maxVersion: number): number {
  const range = broker.versions?.[api.request.apiKey];
  if (!range) throw new KafkaError('UNSUPPORTED_VERSION', `Broker ${broker.nodeId ?? '?'} does not offer ${api.name} (API key ${api.request.apiKey}).`);
  const version = Math.min(range.maxVersion, api.request.versions[1], maxVersion);
  if (version < Math.max(range.minVersion, api.request.versions[0])) {
    throw new KafkaError('UNSUPPORTED_VERSION', `Broker ${broker.nodeId ?? '?'} offers ${api.name} ${range.minVersion}-${range.maxVersion}, none of which Brokerscope reads.`);
  }
  return version;
}

/** Skips a tagged-field section (response header v1). */
function skipTaggedFields(reader: Reader): void {
  const count = reader.uvarint();
  for (let i = 0; i < count; i++) {
    reader.uvarint();
    reader.skip(reader.uvarint());
  }
}
