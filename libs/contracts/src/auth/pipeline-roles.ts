import type { Role } from './access-token.js';

/**
 * Who may act on the pipeline (seed 000): the same lists guard the gateway's routes and the
 * services' commands. Reading needs only a valid token; object-level checks still apply.
 */
export const PIPELINE_ROLES = {
  /** Start, stop and retry kit runs; upload decks. */
  operate: ['admin', 'logic.general', 'logic.model-setup', 'dram.general'],
  /** Predict with a registered model (a general user; access to a set-up model is checked on top). */
  predict: ['admin', 'logic.general', 'dram.general'],
} as const satisfies Record<string, readonly Role[]>;

/** True when `roles` holds at least one of `allowed`. */
export const holdsAnyRole = (roles: readonly string[] | undefined, allowed: readonly Role[]): boolean =>
  !!roles && allowed.some((role) => roles.includes(role));
