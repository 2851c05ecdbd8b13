// The day's figures: visits, guests, time hosted and amounts by service.
// Each method: who may call it (common/station-access.ts), what it changes for the windows to
// reload, and its input's schema; below, what it answers.
import { z } from 'zod';
import { localDate } from './fields.js';
import type { DayFigures } from './types.js';
import type { OpeningNow } from '../site-hours.js';
import type { MethodSpec } from './method.js';

export const figuresMethods = {
  dayFigures: {
    role: 'desk',
    input: z.object({ date: localDate.optional() }),
  },
  /** Whether the site is open now by its opening hours, by the station's clock (the desk's closed notice). */
  siteOpening: {
    role: 'desk',
    input: z.object({}),
  },
} as const satisfies Record<string, MethodSpec>;

export interface FiguresOutputs {
  dayFigures: DayFigures;
  siteOpening: OpeningNow;
}
