/**
 * What every API handler gets: the cluster, the broker whose listener took the request, the
 * server (for advertised ports), and the request's context.
 */
import type { Broker } from '../../broker/broker';
import type { Cluster } from '../../cluster';
import { KafkaError, errorCode, type KafkaErrorName } from '../../protocol/errors';
import type { RequestContext } from '../connection';
import type { Message } from '../protocol/codec';
import type { KafkaServer } from '../server';

/** A handler's view of the world. */
export interface HandlerContext {
  cluster: Cluster;
  broker: Broker;
  server: KafkaServer;
  context: RequestContext;
}

/** A handler: reads the decoded request, answers through `respond` (null: no response). */
export type Handler = (ctx: HandlerContext, request: Message, respond: (response: Message | null) => void) => void;

/** Kafka's wire code for an error name, 0 for none. */
export function code(name: KafkaErrorName | null | undefined): number {
  return name ? errorCode(name) : 0;
}

/** Wire code and message of a thrown engine error. */
export function fromError(error: unknown): { errorCode: number; errorMessage: string } {
  if (error instanceof KafkaError) return { errorCode: error.code, errorMessage: error.message.replace(/^[A-Z_]+: /, '') };
  return { errorCode: errorCode('UNKNOWN_SERVER_ERROR'), errorMessage: (error as Error)?.message ?? String(error) };
}
