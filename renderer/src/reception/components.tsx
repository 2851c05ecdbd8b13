// Small pieces every screen uses: an error worded by the station, shown next to its field; a
// keyboard shortcut as the clerk sees it; a status chip.
import type { ReactNode } from 'react';
import type { StationError } from '../../../common/result.js';

/** The station's own words for what went wrong, next to the field (id for aria-describedby). */
export function FieldError({ id, error }: { id: string; error: StationError | undefined }) {
  if (!error) return null;
  return (
    <p id={id} className="field-error" role="alert">
      {error.message}
    </p>
  );
}

/** aria props of a field that may carry an error. */
export const invalidProps = (id: string, error: StationError | undefined) =>
  error ? { 'aria-invalid': true as const, 'aria-describedby': id } : {};

export function Kbd({ keys }: { keys: string }) {
  return (
    <kbd className="shortcut" aria-hidden="true">
      {keys}
    </kbd>
  );
}

export type ChipTone = 'ok' | 'warn' | 'bad' | 'neutral' | 'info';

export function Chip({ tone, children }: { tone: ChipTone; children: ReactNode }) {
  return <span className={`chip chip-${tone}`}>{children}</span>;
}

export function Loading({ text }: { text: string }) {
  return (
    <p className="muted" role="status">
      {text}
    </p>
  );
}
