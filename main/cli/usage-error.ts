// A command line that does not say what to do (unknown command, missing or malformed argument):
// the CLI exits with code 2 and the usage, like for parseArgs' own errors, never 1, which means
// the station refused or failed a well-formed command.
import { StationFailure } from '../station/errors.js';

export class UsageError extends StationFailure {
  constructor(message: string) {
    super('INVALID_INPUT', message);
    this.name = 'UsageError';
  }
}
