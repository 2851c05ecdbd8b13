// Members at the desk: found, given a badge, signed up for the network (agent sale), their welcome slip.
// Each method: who may call it (common/station-access.ts), what it changes for the windows to
// reload, and its input's schema; below, what it answers.
import { z } from 'zod';
import { languageSchema } from '../reference-data.js';
import { billingAddressSchema, vatNumberSchema } from '../signup.js';
import type { PrintJob } from '../devices.js';
import { refId, name, shiftId } from './fields.js';
import type { SearchHit, SignUpSummary, SignUpResult } from './types.js';
import type { MethodSpec } from './method.js';

export const membersMethods = {
  search: {
    role: 'desk',
    input: z.object({ query: z.string().max(200, 'at most 200 characters'), limit: z.number().int().min(1).max(100).default(20) }),
  },
  assignBadge: {
    role: 'desk',
    changes: 'visits',
    input: z.object({ memberId: refId, uid: z.string(), kind: z.enum(['rfid', 'qr', 'barcode']).default('rfid'), shiftId }),
  },
  /**
   * A new network member signed up at this reception (agent sale), offline if need be: the member
   * exists here at once (and may check in), awaiting the hub's confirmation.
   */
  signUpMember: {
    role: 'desk',
    changes: 'visits',
    input: z.object({
      firstName: name,
      lastName: name,
      email: z.email('an e-mail address such as name@example.be').max(254, 'at most 254 characters'),
      phone: z
        .string()
        .trim()
        .regex(/^\+?[0-9 ./()-]{6,30}$/, 'a phone number such as +32 2 555 12 34')
        .optional(),
      language: languageSchema,
      payer: z.discriminatedUnion('kind', [
        /** An existing company of the network pays. */
        z.object({ kind: z.literal('company'), payerId: refId }),
        /** The member pays for themself: where the statements go, and their VAT number if they have one. */
        z.object({ kind: z.literal('self'), billingAddress: billingAddressSchema, vatNumber: vatNumberSchema.optional() }),
      ]),
      termsAccepted: z.literal(true, 'the new member must accept the network’s terms of membership'),
      privacyAccepted: z.literal(true, 'the new member must acknowledge the network’s privacy notice'),
      /** A card tapped on a reader (its UID), or a QR badge the station makes and prints on the welcome slip. */
      badge: z.discriminatedUnion('kind', [z.object({ kind: z.literal('rfid'), uid: z.string() }), z.object({ kind: z.literal('qr') })]),
      /** Check the new member in at once (default). */
      checkIn: z.boolean().default(true),
      /** Print the welcome slip on the receipt printer (default; the sign-up stands without a printer). */
      printWelcome: z.boolean().default(true),
      shiftId,
    }),
  },
  /** The sign-ups made at this reception, the latest first, with what the hub answered. */
  signUps: {
    role: 'desk',
    input: z.object({ limit: z.number().int().min(1).max(500).default(50) }),
  },
  /** The network's companies, for the payer of a new member. */
  companies: {
    role: 'desk',
    input: z.object({ query: z.string().max(100, 'at most 100 characters').default(''), limit: z.number().int().min(1).max(500).default(200) }),
  },
  /** Prints a member's welcome slip again (the same words, in their language). */
  printWelcome: {
    role: 'desk',
    input: z.object({ memberId: refId, printerId: z.string().max(32).optional() }),
  },
} as const satisfies Record<string, MethodSpec>;

export interface MembersOutputs {
  search: SearchHit[];
  assignBadge: { uid: string; memberId: string; kind: string };
  signUpMember: SignUpResult;
  signUps: SignUpSummary[];
  companies: { id: string; name: string; vatNumber?: string }[];
  printWelcome: PrintJob;
}
