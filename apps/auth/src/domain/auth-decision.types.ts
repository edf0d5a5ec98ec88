export { ConflictError, type Decision, ForbiddenError, NotFoundError, type Role, ValidationError } from '@vista/contracts';
import type { NewEvent } from '@vista/event-store';

/** An event a decision produces, before it is appended. */
export type NewEventLike = NewEvent;
