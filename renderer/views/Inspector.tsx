/**
 * The right-hand inspector: whatever is selected (the cluster, a broker, a topic with its
 * overview, produce and browse tabs) or the create-topic form.
 */
import { useApp } from '../store/store';
import { BrokerPanel } from './BrokerPanel';
import { ClusterOverview } from './ClusterOverview';
import { CreateTopicForm } from './CreateTopicForm';
import { TopicPanel } from './TopicPanel';
import { CreateGroupForm } from './CreateGroupForm';
import { GroupPanel } from './GroupPanel';
import { ScenarioNarration } from './Scenarios';

export function Inspector() {
  const selection = useApp((s) => s.selection);
  return (
    <aside className="inspector" aria-label="Inspector">
      <ScenarioNarration />
      {selection.kind === 'create-topic' ? (
        <CreateTopicForm />
      ) : selection.kind === 'topic' ? (
        <TopicPanel key={selection.topic} topicName={selection.topic} />
      ) : selection.kind === 'create-group' ? (
        <CreateGroupForm />
      ) : selection.kind === 'group' ? (
        <GroupPanel key={selection.groupId} groupId={selection.groupId} />
      ) : selection.kind === 'broker' ? (
        <BrokerPanel brokerId={selection.brokerId} />
      ) : (
        <ClusterOverview />
      )}
    </aside>
  );
}
