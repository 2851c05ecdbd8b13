// What the kiosk page needs to read a keyboard-wedge reader typing into its window: the layout the
// reader is set to (a setting of the device) and the site's badge formats (reference data).
import { DEFAULT_BADGE_FORMATS } from '../../../common/readers/badge-formats.js';
import type { KioskReading } from '../../../common/station-api/devices.js';
import type { StationContext } from '../context.js';
import { listDeviceConfigs } from './config-store.js';

export function kioskReading(ctx: StationContext): KioskReading {
  const reader = listDeviceConfigs(ctx).find((d) => d.kind === 'reader' && d.enabled && d.connection.type === 'window');
  const layout = reader?.kind === 'reader' && reader.connection.type === 'window' ? reader.connection.keyboardLayout : 'qwerty';
  return { layout, formats: [...(ctx.site?.badgeFormats ?? DEFAULT_BADGE_FORMATS)] };
}
