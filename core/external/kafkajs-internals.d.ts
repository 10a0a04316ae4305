/**
 * Types for the few parts of kafkajs 2.2.4 below its public API that the external source uses
 * (see wire.ts for why). Only what is called is declared.
 */
declare module 'kafkajs/src/cluster/index.js' {
  /** One broker connection set as kafkajs keeps it. */
  export interface InternalBroker {
    nodeId: number | string | null;
    /** API versions the broker advertised: key to range. */
    versions: Record<number, { minVersion: number; maxVersion: number }> | null;
    connectionPool: { send(protocolRequest: unknown): Promise<unknown> };
    isConnected(): boolean;
  }
  /** kafkajs' Cluster: the broker pool behind every public client. */
  class InternalCluster {
    constructor(options: Record<string, unknown>);
    connect(): Promise<void>;
    disconnect(): Promise<void>;
    refreshMetadata(): Promise<void>;
    getNodeIds(): string[];
    findBroker(options: { nodeId: string }): Promise<InternalBroker>;
    brokerPool: {
      seedBroker: InternalBroker | undefined;
      brokers: Record<string, InternalBroker>;
      findConnectedBroker(): Promise<InternalBroker>;
    };
  }
  export default InternalCluster;
}

declare module 'kafkajs/src/protocol/encoder.js' {
  /** kafkajs' byte writer: requests hand it their body. */
  class Encoder {
    writeBufferInternal(buffer: Buffer): void;
  }
  export default Encoder;
}

declare module 'kafkajs/src/loggers/index.js' {
  export const LEVELS: { NOTHING: number; ERROR: number; WARN: number; INFO: number; DEBUG: number };
  export function createLogger(options: { level: number; logCreator: unknown }): unknown;
}

declare module 'kafkajs/src/network/socketFactory.js' {
  export default function defaultSocketFactory(): unknown;
}
