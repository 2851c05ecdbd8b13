import type { Messages } from '../i18n.js';

export const de: Messages = {
  offline: 'Offline — alles wird gespeichert',
  stationUnreachable: 'Verbindung zur Station wird hergestellt…',
  notPaired: 'Dieser Bildschirm ist noch nicht mit der Station gekoppelt: Der Techniker koppelt ihn mit einer einmaligen Adresse (escale-station pair).',
};
