/**
 * Attaching to an external Kafka cluster: a host serving the same contract as the embedded
 * one from polls over Kafka's protocol, and a one-shot connection test.
 */
export { ExternalHost, testConnection, MAX_POLL_INTERVAL_MS, type ExternalHostOptions } from './host';
export { kafkaConfigFor, parseBootstrap, saslOptions, tlsOptions } from './client';
