import { ValidationError } from '@vista/contracts';

/** An event that passed its contract but cannot be folded (e.g. a timestamp no clock can read). */
export class UnfoldableEventError extends ValidationError {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}
