import type { Messages } from '../i18n.js';

export const de: Messages = {
  durationHm: '{h} Std. {m}',
  offline: 'Offline — alles wird gespeichert',
  stationUnreachable: 'Verbindung zur Station wird hergestellt…',
};
