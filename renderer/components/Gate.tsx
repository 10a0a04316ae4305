/**
 * What the source allows, for views: the sentence a read-only connection puts on a write
 * control, and the note that replaces a control an external cluster cannot offer.
 */
import type { ReactNode } from 'react';
import type { UnobservableFeature } from '../../core/host/contract';
import { useApp } from '../store/store';
import { sourceOf, unavailableReason, writeBlockedReason, type WriteCommand } from '../store/source';

/** Why this write is refused here (read-only connection), or null. */
export function useWriteBlocked(command: WriteCommand): string | null {
  return useApp((s) => writeBlockedReason(sourceOf(s), command));
}

/** Why this feature is not available on the cluster shown, or null. */
export function useUnavailable(feature: UnobservableFeature): string | null {
  return useApp((s) => unavailableReason(sourceOf(s), feature));
}

/**
 * The note shown instead of a control the cluster shown cannot offer: the source's sentence,
 * or where room is short (`label`: the control's name, crossed out) the name with the sentence
 * on hover and for screen readers.
 */
export function Unavailable({ feature, reason, label }: { feature: UnobservableFeature; reason: string; label?: string }) {
  if (label) {
    return (
      <span className="unavailable compact" data-testid="unavailable" data-feature={feature} title={reason} tabIndex={0}>
        <span className="unavailable-mark" aria-hidden="true">
          ⊘
        </span>{' '}
        <s>{label}</s>
        <span className="visually-hidden">: not available. {reason}</span>
      </span>
    );
  }
  return (
    <p className="unavailable" data-testid="unavailable" data-feature={feature}>
      <span className="unavailable-mark" aria-hidden="true">
        ⊘
      </span>{' '}
      {reason}
    </p>
  );
}

/** Renders `children` where the feature is available, else the note with the source's sentence. */
export function IfAvailable({ feature, children, label }: { feature: UnobservableFeature; children: ReactNode; label?: string }) {
  const reason = useUnavailable(feature);
  return reason ? <Unavailable feature={feature} reason={reason} label={label} /> : <>{children}</>;
}

/**
 * A write control: disabled with the read-only sentence on hover when the connection is
 * read-only. The sentence sits on a wrapper too, because some browsers show no tooltip for a
 * disabled button; the button's own title gives it to screen readers.
 */
export function WriteButton({ command, disabled, title, children, ...rest }: { command: WriteCommand } & React.ButtonHTMLAttributes<HTMLButtonElement>) {
  const blocked = useWriteBlocked(command);
  const button = (
    <button {...rest} disabled={disabled || blocked !== null} title={blocked ?? title} data-write-blocked={blocked ? 'true' : undefined}>
      {children}
    </button>
  );
  return blocked ? (
    <span className="write-blocked" title={blocked}>
      {button}
    </span>
  ) : (
    button
  );
}
