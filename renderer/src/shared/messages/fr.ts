import type { Messages } from '../i18n.js';

export const fr: Messages = {
  durationHm: '{h} h {m}',
  offline: 'Hors ligne — tout est enregistré',
  stationUnreachable: 'Reconnexion à la station…',
};
