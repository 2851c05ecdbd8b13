// Reference data: the site's profile, and an import from a file. The handlers of the station API's
// reference methods (common/station-api/reference.ts), over parsed input; api.ts wraps them with
// validation and Results.
import { loadSite, requireSite } from '../context.js';
import { StationFailure } from '../errors.js';
import { importReferenceData, parseReferenceData } from './import.js';
import type { ReferenceOutputs } from '../../../common/station-api/reference.js';
import type { HandlerDeps, HandlersOf } from '../handlers.js';

export function referenceHandlers({ ctx, now }: HandlerDeps): HandlersOf<ReferenceOutputs> {
  return {
    siteProfile: () => requireSite(ctx),
    importReferenceData: ({ data, source }) => {
      const parsed = parseReferenceData(data, source ?? 'The reference data');
      const site = parsed.sites.find((s) => s.id === ctx.siteId);
      if (site) {
        const missing = parsed.tariffs.filter((t) => !t.prices.some((p) => p.serviceCode === ctx.settings.workspaceService && p.stars === site.stars));
        if (missing.length > 0)
          throw new StationFailure(
            'REFERENCE_DATA_INVALID',
            `${source ?? 'The reference data'} was refused, nothing was imported: tariff ${missing[0]!.id} has no price for the workspace service "${ctx.settings.workspaceService}" at ${site.stars} stars.`,
          );
      }
      const summary = importReferenceData(ctx, parsed, now());
      ctx.site = loadSite(ctx.db, ctx.siteId);
      // A file from the hub may carry erased members: once written, their old pages leave the WAL too.
      if (parsed.members.some((m) => m.erasedAt !== undefined)) ctx.scrubber.request('member erasure');
      return summary;
    },
  };
}
