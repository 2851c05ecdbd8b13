// What a browser shows when its pairing link was unknown, already used or expired: in the four
// languages at once (the station does not know the reader's), with what to do.
const LINES = [
  { lang: 'fr', title: 'Ce lien d’appairage n’est plus valable', text: 'Il a déjà servi ou a expiré. Demandez un nouveau lien au technicien de la station (escale-station pair).' },
  { lang: 'nl', title: 'Deze koppelingslink is niet meer geldig', text: 'Hij werd al gebruikt of is verlopen. Vraag de technicus van het station om een nieuwe link (escale-station pair).' },
  { lang: 'en', title: 'This pairing link is no longer valid', text: 'It was already used or has expired. Ask the station’s technician for a new link (escale-station pair).' },
  { lang: 'de', title: 'Dieser Kopplungslink ist nicht mehr gültig', text: 'Er wurde bereits verwendet oder ist abgelaufen. Bitten Sie den Techniker der Station um einen neuen Link (escale-station pair).' },
];

export function pairingRefusedPage(): string {
  const sections = LINES.map((l) => `<section lang="${l.lang}"><h1>${l.title}</h1><p>${l.text}</p></section>`).join('\n');
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Escale</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1d2430}h1{font-size:1.25rem;margin-bottom:.25rem}p{margin-top:0}section{margin-bottom:1.5rem}</style>
</head><body>
${sections}
</body></html>`;
}
