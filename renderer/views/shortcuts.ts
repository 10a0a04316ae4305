/**
 * Keyboard shortcuts for the frequent actions: N new topic, G new consumer group, P produce,
 * B browse, O overview, L back to live (after time travel), / search topics, Escape back to the
 * cluster map. Ignored while typing in a field.
 */
import { useEffect } from 'react';
import { getStore } from '../store/store';

export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      const target = event.target as HTMLElement | null;
      if (event.metaKey || event.ctrlKey || event.altKey) return;
      // A modal dialog (connections) owns the keyboard: Escape closes it, letters are typed into it.
      if (document.querySelector('dialog[open]')) return;
      const typing = target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable);
      const store = getStore().getState();
      if (event.key === 'Escape') {
        if (typing) (target as HTMLElement).blur();
        else {
          store.select({ kind: 'cluster' });
          getStore().setState({ focus: null });
        }
        return;
      }
      if (typing) return;
      const topic = store.selection.kind === 'topic' ? store.selection : null;
      switch (event.key) {
        case 'n':
          store.select({ kind: 'create-topic' });
          break;
        case 'g':
          store.select({ kind: 'create-group' });
          break;
        case 'l':
          store.returnToLive();
          break;
        case '/':
          event.preventDefault();
          getStore().setState({ searchFocusRequest: store.searchFocusRequest + 1 });
          break;
        case 'p':
          if (topic) store.setTopicTab('produce');
          break;
        case 'b':
          if (topic) store.setTopicTab('browse');
          break;
        case 'o':
          if (topic) store.setTopicTab('overview');
          break;
        default:
          return;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
