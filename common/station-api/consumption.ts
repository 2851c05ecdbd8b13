// Consumption: the services priced here today, a line added to a visit, a line voided by a compensating one.
// Each method: who may call it (common/station-access.ts), what it changes for the windows to
// reload, and its input's schema; below, what it answers.
import { z } from 'zod';
import { isoInstant } from '../events.js';
import { languageSchema } from '../reference-data.js';
import { refId, uuid, reason, shiftId } from './fields.js';
import type { ConsumptionLine, ServiceOffer } from './types.js';
import type { MethodSpec } from './method.js';

export const consumptionMethods = {
  addConsumption: {
    role: 'desk',
    changes: 'visits',
    input: z.object({
      visitId: uuid,
      serviceCode: refId,
      /** Minutes for an hourly service, a count for every other. */
      quantity: z.number().int('a whole number').min(1, 'at least 1').max(100_000, 'at most 100000'),
      at: isoInstant.optional(),
      shiftId,
    }),
  },
  voidConsumption: {
    role: 'desk',
    changes: 'visits',
    input: z.object({ consumptionId: uuid, reason, shiftId }),
  },
  /** The services priced at this site today, named in `language`: what staff can add to a visit. */
  services: {
    role: 'desk',
    input: z.object({ language: languageSchema.default('en') }),
  },
} as const satisfies Record<string, MethodSpec>;

export interface ConsumptionOutputs {
  addConsumption: ConsumptionLine;
  voidConsumption: ConsumptionLine;
  services: ServiceOffer[];
}
