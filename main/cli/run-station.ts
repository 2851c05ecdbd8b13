// The command line's long-running commands (run, serve) and one-shot printing, over the station
// runtime (main/runtime/): loaded only by the commands that need them.
export { deliverOnce, runStation } from '../runtime/run.js';
