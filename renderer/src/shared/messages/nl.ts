import type { Messages } from '../i18n.js';

export const nl: Messages = {
  durationHm: '{h} u {m}',
  offline: 'Offline — alles wordt bewaard',
  stationUnreachable: 'Opnieuw verbinden met het station…',
};
