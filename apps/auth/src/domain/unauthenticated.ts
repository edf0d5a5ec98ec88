import { UnauthenticatedError } from '@vista/contracts';

/** Login, refresh or session refused: 401 at the gateway. */
export const unauthenticated = (message: string) => new UnauthenticatedError(message);
