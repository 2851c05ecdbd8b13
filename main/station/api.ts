// The station API over a Station: every input parsed with its zod schema from common/, every
// failure turned into {ok:false,error} with a stable code. Nothing thrown escapes.
import { z } from 'zod';
import { fail, ok, type FieldProblem, type Result } from '../../common/result.js';
import { sayIssue } from '../../common/messages/errors/field-issue.js';
import { isErrorKey, sayIn } from '../../common/messages/errors/index.js';
import { STATION_METHODS, stationInputs, type StationApi, type StationMethod, type StationOutputs } from '../../common/station-api.js';
import { formatPath } from '../../common/reference-data.js';
import { toStationFailure } from './errors.js';
import type { Station } from './station.js';

export function invalidInput(error: z.ZodError): Result<never> {
  const issue = error.issues[0];
  const where = issue ? formatPath(issue.path) : '';
  // Every field at fault at once, each worded for the screens; the English text for the command line.
  const fields: FieldProblem[] = [];
  for (const i of error.issues) {
    const field = formatPath(i.path);
    if (field && !fields.some((f) => f.field === field)) fields.push({ field, say: sayIssue(i) });
  }
  return {
    ok: false,
    error: {
      code: 'INVALID_INPUT',
      message: `${where ? where + ': ' : ''}${issue ? (isErrorKey(issue.message) ? sayIn('en', { key: issue.message }) : `${issue.message}.`) : 'invalid input.'}`,
      say: fields[0]?.say ?? { key: 'code_INVALID_INPUT' },
      detail: error.issues.map((i) => `${formatPath(i.path)}: ${isErrorKey(i.message) ? sayIn('en', { key: i.message }) : i.message}`).join('\n'),
      // The first field at fault, as before, for callers that show one.
      ...(where ? { field: where } : {}),
      ...(fields.length ? { fields } : {}),
    },
  };
}

/** Calls one method with an unknown input: what IPC and the local host receive. */
export function callStation<M extends StationMethod>(station: Station, method: M, input: unknown): Result<StationOutputs[M]> {
  if (!STATION_METHODS.includes(method)) return fail('INVALID_INPUT', `There is no station method "${String(method)}".`);
  const parsed = stationInputs[method].safeParse(input ?? {});
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    const handler = station.handlers[method] as (i: unknown) => StationOutputs[M];
    return ok(handler(parsed.data));
  } catch (e) {
    return { ok: false, error: toStationFailure(e).toError() };
  }
}

export function createStationApi(station: Station): StationApi {
  const api = {} as Record<StationMethod, (input: unknown) => Promise<Result<unknown>>>;
  for (const method of STATION_METHODS) api[method] = async (input) => callStation(station, method, input);
  return api as unknown as StationApi;
}
