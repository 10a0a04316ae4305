/**
 * A Kafka term with its explanation on hover (a dotted underline says there is one).
 */
import type { ReactNode } from 'react';
import { hintFor } from './hints';

/** `term` picks the hint; children are what is shown (the term itself by default). */
export function Term({ term, children }: { term: string; children?: ReactNode }) {
  const hint = hintFor(term);
  return (
    <span className={hint ? 'term' : undefined} title={hint}>
      {children ?? term}
    </span>
  );
}
