// The kiosk: fullscreen, touch, for visitors. (Filled in by the kiosk work.)
import { useEffect, useState } from 'react';
import type { Site } from '../../../common/reference-data.js';
import type { StationConnection } from '../shared/station-client.js';

export function KioskApp({ station }: { station: StationConnection }) {
  const [site, setSite] = useState<Site | undefined>();
  useEffect(() => {
    const off = station.onConnection((c) => {
      if (c) void station.api.siteProfile({}).then((r) => r.ok && setSite(r.value));
    });
    return off;
  }, [station]);
  return (
    <main>
      <h1>{site ? site.name : 'Escale'}</h1>
    </main>
  );
}
