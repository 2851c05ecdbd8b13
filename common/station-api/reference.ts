// Reference data: the site's profile, and the network's data imported from a file.
// Each method: who may call it (common/station-access.ts), what it changes for the windows to
// reload, and its input's schema; below, what it answers.
import { z } from 'zod';
import type { Site } from '../reference-data.js';
import type { ImportSummary } from './types.js';
import type { MethodSpec } from './method.js';

export const referenceMethods = {
  siteProfile: {
    role: 'kiosk',
    input: z.object({}),
  },
  importReferenceData: {
    role: 'supervisor',
    input: z.object({ data: z.unknown(), source: z.string().max(500).optional() }),
  },
} as const satisfies Record<string, MethodSpec>;

export interface ReferenceOutputs {
  siteProfile: Site;
  importReferenceData: ImportSummary;
}
