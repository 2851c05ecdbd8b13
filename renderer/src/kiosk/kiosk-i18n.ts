// The kiosk's catalogue: one file per language in messages/, English the reference for the keys.
import type { Language } from '../../../common/reference-data.js';
import { translator, type Catalogue, type MessagesOf } from '../shared/i18n.js';
import { en } from './messages/en.js';
import { fr } from './messages/fr.js';
import { nl } from './messages/nl.js';
import { de } from './messages/de.js';

export type KioskMessages = MessagesOf<typeof en>;
export type KioskKey = keyof typeof en;
export const KIOSK_MESSAGES: Catalogue<typeof en> = { en, fr, nl, de };

/** A kiosk message in `language`, its {placeholders} filled. */
export const k: (language: Language, key: KioskKey, values?: Record<string, string | number>) => string = translator(KIOSK_MESSAGES);
