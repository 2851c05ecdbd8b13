// Amounts typed at the desk (common/typed-amount.ts): read as exact cents in every
// language's way of writing them, anything else refused rather than guessed.
import { describe, expect, it } from 'vitest';
import { centsForInput, typedCents } from '../../common/typed-amount.js';

describe('amounts typed at the desk', () => {
  it('reads euros with a comma or a point, with or without cents, spaces and the euro sign', () => {
    expect(typedCents('20')).toBe(2000);
    expect(typedCents('20,5')).toBe(2050);
    expect(typedCents('0,29')).toBe(29);
    expect(typedCents('1.51')).toBe(151);
    expect(typedCents(' 1,51 € ')).toBe(151);
    expect(typedCents('1 234,00')).toBe(123400);
    expect(typedCents('1.234,56')).toBe(123456);
  });
  it('refuses what is not an amount: empty, negative, three decimals, letters', () => {
    for (const text of ['', ' ', '-5', '1,234', '1,2,3', 'abc', '12e3', '5,']) expect(typedCents(text), text).toBeUndefined();
  });
  it('writes an amount back as the clerk types it', () => {
    expect(centsForInput(151, 'fr')).toBe('1,51');
    expect(centsForInput(2000, 'nl')).toBe('20,00');
    expect(centsForInput(5, 'en')).toBe('0.05');
  });
});
