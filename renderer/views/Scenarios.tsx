/**
 * Guided scenarios: the list to start one (in the cluster overview), and the narration panel
 * at the top of the inspector while one runs, step by step, with a button to look where the
 * step happens and one to stop (which puts the cluster back as it was).
 */
import { useEffect, useState } from 'react';
import { create } from 'zustand';
import type { ScenarioId, ScenarioStatus } from '../../core/host/contract';
import { getStore, host } from '../store/store';
import { ErrorText } from '../components/ErrorText';
import { Unavailable, useUnavailable } from '../components/Gate';

const TITLES: Record<ScenarioId, string> = {
  'leader-fails-over': 'A leader fails over',
  'follower-falls-behind': 'A follower falls behind and catches up',
  'not-enough-replicas': 'Not enough in-sync replicas',
  'consumer-joins': 'A consumer joins the group',
  'consumer-crashes': 'A consumer crashes',
  'cooperative-vs-eager': 'Cooperative vs eager rebalance',
};

/** The narration, polled from the host while a scenario runs. */
const useScenario = create<{ status: ScenarioStatus | null; error: string | null }>(() => ({ status: null, error: null }));
let polling = false;

async function poll(): Promise<void> {
  if (polling) return;
  polling = true;
  try {
    for (;;) {
      const result = await host().call('scenarioStatus', {});
      if (!result.ok) break;
      useScenario.setState({ status: result.value });
      if (!result.value || result.value.state !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    polling = false;
  }
}

function look(status: ScenarioStatus): void {
  const focus = status.focus;
  if (!focus) return;
  if (focus.kind === 'group') getStore().getState().select({ kind: 'group', groupId: focus.groupId });
  else {
    getStore().getState().select({ kind: 'topic', topic: focus.topic });
    getStore().setState({ focus: { topic: focus.topic, partition: focus.partition } });
  }
}

/** The scenario buttons. */
export function ScenarioList() {
  const [error, setError] = useState<string | null>(null);
  const running = useScenario((s) => s.status?.state === 'running');
  const unavailable = useUnavailable('app-consumers');
  const start = async (id: ScenarioId): Promise<void> => {
    const result = await host().call('startScenario', { id });
    setError(result.ok ? null : result.error.message);
    useScenario.setState({ status: null });
    void poll();
  };
  return (
    <>
      <h3>Guided scenarios</h3>
      {unavailable ? (
        <Unavailable feature="app-consumers" reason={unavailable} />
      ) : (
      <div className="scenario-list">
        {(Object.keys(TITLES) as ScenarioId[]).map((id) => (
          <button key={id} className="small" data-testid="scenario-start" data-scenario={id} disabled={running} onClick={() => void start(id)}>
            {TITLES[id]}
          </button>
        ))}
      </div>
      )}
      {error && <ErrorText message={error} />}
    </>
  );
}

/** The narration of the running (or just finished) scenario. */
export function ScenarioNarration() {
  const status = useScenario((s) => s.status);
  useEffect(() => {
    void poll();
  }, []);
  if (!status) return null;
  const running = status.state === 'running';
  return (
    <section className="scenario" data-testid="scenario" data-state={status.state} aria-label="Scenario narration">
      <div className="scenario-head">
        <strong>{status.title}</strong>
        <span className="muted small-text">{running ? 'running' : status.state}</span>
        {status.focus && (
          <button className="small" onClick={() => look(status)}>
            Show
          </button>
        )}
        {running ? (
          <button className="small danger-outline" data-testid="scenario-stop" onClick={() => void host().call('stopScenario', {}).then(() => poll())}>
            Stop
          </button>
        ) : (
          <button className="small" onClick={() => useScenario.setState({ status: null })}>
            Dismiss
          </button>
        )}
      </div>
      <ol className="scenario-steps">
        {status.steps.map((step, i) => (
          <li key={i} className={i === status.steps.length - 1 && running ? 'current' : ''}>
            {step.text}
          </li>
        ))}
      </ol>
    </section>
  );
}
