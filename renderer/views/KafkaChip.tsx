/**
 * The Kafka listener in the header: the bootstrap string with a copy button, and the clients
 * connected right now (kcat, kafkajs, any app), listed on hover with their id and address.
 */
import { useState } from 'react';
import { useApp } from '../store/store';
import { formatCount } from '../components/format';

/** The listener as the host reports it (the snapshot's `kafka` field). */
interface KafkaListenerView {
  bootstrap: string;
  clients: { brokerId: number; clientId: string | null; address: string; connectedAt: number; requests: number }[];
}

export function KafkaChip() {
  const kafka = useApp((s) => s.extras.kafka as KafkaListenerView | null | undefined);
  const [copied, setCopied] = useState(false);
  if (!kafka) return null;
  const copy = (): void => {
    void navigator.clipboard?.writeText(kafka.bootstrap).then(
      () => {
        setCopied(true);
        setTimeout(() => setCopied(false), 1_500);
      },
      () => setCopied(false),
    );
  };
  const clients = new Map<string, { clientId: string; addresses: Set<string>; brokers: Set<number> }>();
  for (const c of kafka.clients) {
    const id = c.clientId || '(no client id)';
    const entry = clients.get(id) ?? { clientId: id, addresses: new Set(), brokers: new Set() };
    entry.addresses.add(c.address.replace(/:\d+$/, ''));
    entry.brokers.add(c.brokerId);
    clients.set(id, entry);
  }
  const list = [...clients.values()];
  return (
    <div className="kafka-chip" data-testid="kafka-listener">
      <span className="muted" title="Point any Kafka client (kcat, kafkajs, your app) at this bootstrap list">bootstrap</span>
      <code data-testid="kafka-bootstrap" title={kafka.bootstrap}>{kafka.bootstrap}</code>
      <button className="copy" onClick={copy} title="Copy the bootstrap servers">
        {copied ? 'copied' : 'copy'}
      </button>
      <span className="kafka-clients" data-testid="kafka-clients" data-count={list.length} tabIndex={0}>
        {formatCount(list.length)} {list.length === 1 ? 'client' : 'clients'}
        {list.length > 0 && (
          <span className="kafka-clients-list" role="tooltip">
            {list.map((c) => (
              <span key={c.clientId} className="kafka-client" data-testid="kafka-client" data-client-id={c.clientId}>
                <strong>{c.clientId}</strong> <span className="muted">from {[...c.addresses].join(', ')} · brokers {[...c.brokers].sort().join(', ')}</span>
              </span>
            ))}
          </span>
        )}
      </span>
    </div>
  );
}
