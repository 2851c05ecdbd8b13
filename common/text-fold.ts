// Text as people write it differently: case, accents and runs of spaces aside. What the station's
// search keys and the hub's duplicate sign-up check compare.
export const foldText = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
