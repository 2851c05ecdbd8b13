// What the kiosk makes of a tap, apart from how it looks: which language to speak, how long to
// keep a screen up, which lines of a visit to show.
import type { Language, Site } from '../../../common/reference-data.js';
import type { ConsumptionLine, TapResult } from '../../../common/station-api.js';
import { LANGUAGES } from '../shared/i18n.js';

/** How long each screen stays before the kiosk returns to its welcome screen by itself. */
export const HOLD_MS = {
  checked_in: 6_000,
  checked_out: 12_000,
  unknown_badge: 9_000,
  refused: 10_000,
  already_done: 5_000,
  error: 6_000,
} as const;

/** A tap the kiosk sent itself (keyboard-wedge reader) gets an answer within this, or an apology. */
export const TAP_TIMEOUT_MS = 6_000;
/** The "one moment" screen appears only if an answer takes longer than this (no flicker). */
export const BUSY_AFTER_MS = 350;
/** syncStatus is asked this often (and whenever the station says something changed). */
export const SYNC_POLL_MS = 3_000;
/** The screen's language goes back to the site's after this long without anyone at the kiosk. */
export const LANGUAGE_RESET_MS = 120_000;

export type Shown = { kind: 'welcome' } | { kind: 'result'; result: TapResult } | { kind: 'error' };

export function holdMs(shown: Shown): number {
  if (shown.kind === 'welcome') return Infinity;
  if (shown.kind === 'error') return HOLD_MS.error;
  return HOLD_MS[shown.result.outcome];
}

/** The member's own language when the tap names a person: a result is for them, whatever the screen says. */
export function languageOfResult(result: TapResult): Language | undefined {
  switch (result.outcome) {
    case 'checked_in':
    case 'checked_out':
      return result.visit.person.language;
    case 'refused':
      return result.person?.language;
    case 'already_done':
      return result.person.language;
    case 'unknown_badge':
      return undefined;
  }
}

export function firstNameOf(result: TapResult): string | undefined {
  switch (result.outcome) {
    case 'checked_in':
    case 'checked_out':
      return result.visit.person.firstName;
    case 'refused':
      return result.person?.firstName;
    case 'already_done':
      return result.person.firstName;
    case 'unknown_badge':
      return undefined;
  }
}

/** The kiosk's own language: set in its address (#lang=de, e.g. in Eupen), else by its region. */
export function defaultLanguage(site: Site | undefined, hash: string): Language {
  const wanted = new URLSearchParams(hash.replace(/^#/, '')).get('lang');
  if (wanted && (LANGUAGES as string[]).includes(wanted)) return wanted as Language;
  return site?.region === 'flanders' ? 'nl' : 'fr';
}

/** The lines a visitor cares about: what was consumed and not cancelled. */
export function visibleLines(lines: ConsumptionLine[]): ConsumptionLine[] {
  return lines.filter((l) => l.source !== 'void' && !l.voidedBy);
}
