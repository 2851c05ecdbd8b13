// Small pieces every screen uses: an error worded by the station, shown next to its field; a
// keyboard shortcut as the clerk sees it; a status chip.
import { useContext, useEffect, type InputHTMLAttributes, type ReactNode } from 'react';
import { sayError } from '../shared/say-error.js';
import { DismissNoticeContext, LanguageContext } from './i18n.js';
import type { Language } from '../../../common/reference-data.js';
import type { StationError } from '../../../common/result.js';
import { LANGUAGES, LANGUAGE_NAMES } from '../shared/i18n.js';

/** A station error as a screen shows it: `worded` when the screen words it its own way for its form. */
export type ShownError = StationError & { worded?: string };

/** What went wrong, in the clerk's language, next to the field (id for aria-describedby). */
export function FieldError({ id, error }: { id: string; error: ShownError | undefined }) {
  const language = useContext(LanguageContext);
  const dismissOkNotice = useContext(DismissNoticeContext);
  // By what it says, not by identity: the same error loaded again (a list refreshed) is not news.
  const said = error ? `${error.code}|${error.field ?? ''}|${error.say?.key ?? ''}|${JSON.stringify(error.say?.values ?? {})}|${error.worded ?? ''}` : '';
  useEffect(() => {
    if (said) dismissOkNotice();
  }, [said, dismissOkNotice]);
  if (!error) return null;
  return (
    <p id={id} className="field-error" role="alert">
      {error.worded ?? sayError(language, error)}
    </p>
  );
}

/** aria props of a field that may carry an error. */
export const invalidProps = (id: string, error: StationError | undefined) =>
  error ? { 'aria-invalid': true as const, 'aria-describedby': id } : {};

/** A labelled text input of a form, with the station's error for it below (ids from `id`). */
export function TextField({
  id,
  label,
  value,
  onValue,
  error,
  ...input
}: { id: string; label: string; value: string; onValue: (v: string) => void; error: StationError | undefined } & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange'> & {
    'data-autofocus'?: boolean;
  }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} value={value} onChange={(e) => onValue(e.target.value)} {...invalidProps(`${id}-error`, error)} {...input} />
      <FieldError id={`${id}-error`} error={error} />
    </div>
  );
}

/** A person's language (FR/NL/EN/DE), each named in itself. */
export function LanguageField({ id, label, value, onValue }: { id: string; label: string; value: Language; onValue: (l: Language) => void }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onValue(e.target.value as Language)}>
        {LANGUAGES.map((l) => (
          <option key={l} value={l}>
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </select>
    </div>
  );
}

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

/** The top bar's brand: the logo, "Escale" and the window's name; `children` follow it (the site). */
export function Brand({ window, children }: { window: string; children?: ReactNode }) {
  return (
    <div className="brand">
      <span className="logo" aria-hidden="true">
        E
      </span>
      <span className="brand-name">
        Escale <span className="brand-window">{window}</span>
      </span>
      {children}
    </div>
  );
}

/** The top bar's four language buttons (each named in its own language). */
export function LanguageSwitch({ language, label, onChoose }: { language: Language; label: string; onChoose: (l: Language) => void }) {
  return (
    <div className="language-switch" role="group" aria-label={label}>
      {LANGUAGES.map((l) => (
        <button key={l} type="button" lang={l} title={LANGUAGE_NAMES[l]} aria-pressed={l === language} onClick={() => onChoose(l)}>
          {l.toUpperCase()}
        </button>
      ))}
    </div>
  );
}
