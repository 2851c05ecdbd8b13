// Devices at the reception: badge readers (serial, HID) that turn what the hardware sends into
// normalised reads for the station's tap, and printers (ESC/POS, ZPL over TCP, serial or a
// device file) fed from a print queue kept in SQLite. Drivers take what they open in their
// constructor, so tests run them on real ptys and sockets or on injected fakes for HID.
export { DeviceManager, type DeviceManagerOptions } from './device-manager.js';
