// The day's figures. The handlers of the station API's figures methods (common/station-
// api/figures.ts), over parsed input; api.ts wraps them with validation and Results.
import { requireSite, writeTransaction } from '../context.js';
import { openingAt } from '../../../common/site-hours.js';
import { dayFigures } from './figures.js';
import { autoCloseDue } from '../visits/lifecycle.js';
import type { FiguresOutputs } from '../../../common/station-api/figures.js';
import type { HandlerDeps, HandlersOf } from '../handlers.js';

export function figuresHandlers({ ctx, now, today }: HandlerDeps): HandlersOf<FiguresOutputs> {
  return {
    dayFigures: ({ date }) => {
      writeTransaction(ctx, () => autoCloseDue(ctx, now()));
      return dayFigures(ctx, date ?? today());
    },
    siteOpening: () => openingAt(requireSite(ctx), now()),
  };
}
