/**
 * kafkajs' errors as Kafka's own error names. kafkajs raises KafkaJSProtocolError with Kafka's
 * name in `type` and the wire code in `code`; connection, timeout and lookup failures carry
 * only a class name, so those map onto the Kafka error a Java client would report.
 */
import { KAFKA_ERRORS, KafkaError, errorByCode, type KafkaErrorName } from '../protocol/errors';

/** kafkajs error classes that are not protocol errors, with the Kafka name closest to each. */
const CLASS_NAMES: Record<string, KafkaErrorName> = {
  KafkaJSConnectionError: 'NETWORK_EXCEPTION',
  KafkaJSConnectionClosedError: 'NETWORK_EXCEPTION',
  KafkaJSRequestTimeoutError: 'REQUEST_TIMED_OUT',
  KafkaJSTimeout: 'REQUEST_TIMED_OUT',
  KafkaJSLockTimeout: 'REQUEST_TIMED_OUT',
  KafkaJSBrokerNotFound: 'BROKER_NOT_AVAILABLE',
  KafkaJSMetadataNotLoaded: 'LEADER_NOT_AVAILABLE',
  KafkaJSTopicMetadataNotLoaded: 'UNKNOWN_TOPIC_OR_PARTITION',
  KafkaJSSASLAuthenticationError: 'SASL_AUTHENTICATION_FAILED',
  KafkaJSNonRetriableError: 'UNKNOWN_SERVER_ERROR',
};

interface KafkaJsLike {
  name?: string;
  type?: string;
  code?: number;
  message?: string;
  errors?: unknown[];
  cause?: unknown;
  originalError?: unknown;
}

/** The Kafka error name a thrown value stands for. */
export function kafkaErrorName(error: unknown): KafkaErrorName {
  if (error instanceof KafkaError) return error.name;
  const e = (error ?? {}) as KafkaJsLike;
  if (typeof e.code === 'number' && e.code !== 0) {
    const info = errorByCode(e.code);
    if (info) return info.name;
  }
  if (typeof e.type === 'string' && e.type !== 'UNKNOWN') {
    const info = KAFKA_ERRORS.find((i) => i.name === e.type);
    if (info) return info.name;
  }
  // Aggregates (createTopics, deleteTopics) carry one protocol error per topic: the first names it.
  if (Array.isArray(e.errors) && e.errors.length > 0) return kafkaErrorName(e.errors[0]);
  if (e.originalError) return kafkaErrorName(e.originalError);
  if (e.cause) return kafkaErrorName(e.cause);
  if (e.name && CLASS_NAMES[e.name]) return CLASS_NAMES[e.name];
  return 'UNKNOWN_SERVER_ERROR';
}

/** Any thrown value from the client library as a KafkaError (name and a sentence). */
export function toKafkaError(error: unknown, context?: string): KafkaError {
  if (error instanceof KafkaError) return error;
  const name = kafkaErrorName(error);
  const e = (error ?? {}) as KafkaJsLike;
  const detail = Array.isArray(e.errors) && e.errors.length > 0 ? (e.errors[0] as KafkaJsLike).message : e.message;
  const sentence = detail ? detail.replace(/^[A-Z_]+: /, '') : undefined;
  return new KafkaError(name, context && sentence ? `${context}: ${sentence}` : (sentence ?? context));
}

/** Throws the Kafka error of a response's code (0 passes). */
export function throwIfError(code: number, context: string): void {
  if (code === 0) return;
  const info = errorByCode(code);
  throw new KafkaError(info?.name ?? 'UNKNOWN_SERVER_ERROR', `${context}${info?.message ? `: ${info.message}` : ` (error code ${code})`}`);
}
