import type { Messages } from '../i18n.js';

export const fr: Messages = {
  offline: 'Hors ligne — tout est enregistré',
  stationUnreachable: 'Reconnexion à la station…',
  notPaired: 'Cet écran n’est pas encore relié à la station : le technicien le relie avec une adresse à usage unique (escale-station pair).',
};
