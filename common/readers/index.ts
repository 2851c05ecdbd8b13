// Badge reading rules shared by every side: serial framings, HID keyboard usages, the
// keyboard-wedge decoder (used by the renderer), and UID normalisation. Pure code, no I/O:
// the drivers in main/hardware feed bytes or key events in and take reads out.
export * from './read.js';
export * from './framing.js';
export * from './hid-usage.js';
export * from './keyboard-wedge.js';
export * from './uid.js';
export * from './badge-formats.js';
export * from './wedge-layout.js';
