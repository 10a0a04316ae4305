/**
 * Type-to-confirm for destructive actions: the action runs only once the exact name (a topic
 * or group) has been typed, so a slip of the mouse never deletes anything.
 */
import { useState, type ReactNode } from 'react';

export function ConfirmByName({ name, action, busy, children, onCancel, onConfirm }: { name: string; action: string; busy?: boolean; children: ReactNode; onCancel: () => void; onConfirm: () => void }) {
  const [typed, setTyped] = useState('');
  const matches = typed === name;
  return (
    <form
      className="confirm"
      role="alertdialog"
      aria-label={`Confirm: ${action}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (matches && !busy) onConfirm();
      }}
      noValidate
    >
      <p>{children}</p>
      <label className="confirm-label">
        <span>
          Type <strong className="mono">{name}</strong> to confirm
        </span>
        <input name="confirm-name" value={typed} onChange={(e) => setTyped(e.target.value)} autoFocus autoComplete="off" spellCheck={false} />
      </label>
      <div className="actions start">
        <button type="button" onClick={onCancel}>
          Keep it
        </button>
        <button type="submit" className="danger" data-testid="confirm-submit" disabled={!matches || busy} title={matches ? undefined : `Type ${name} to enable`}>
          {action}
        </button>
      </div>
    </form>
  );
}
