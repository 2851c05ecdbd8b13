// The reception window: for staff. (Filled in by the reception work.)
import type { StationConnection } from '../shared/station-client.js';

export function ReceptionApp({ station }: { station: StationConnection }) {
  void station;
  return (
    <main>
      <h1>Escale — reception</h1>
    </main>
  );
}
