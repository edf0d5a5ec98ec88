import { BusEnvironment } from '@vista/bus';
import { IdentityEnvironment, loadEnvironment } from '@vista/contracts';
import { DatabaseEnvironment } from '@vista/db';
import { ProjectorEnvironment } from './projector.environment.js';

export { ProjectorEnvironment };

export type ProjectorConfig = DatabaseEnvironment & BusEnvironment & IdentityEnvironment & ProjectorEnvironment;

export const PROJECTOR_CONFIG = Symbol('PROJECTOR_CONFIG');

/** Reads and validates the projector's environment once, at boot; a bad value stops start-up naming the variable. */
export function loadProjectorConfig(env: Record<string, string | undefined>): ProjectorConfig {
  return loadEnvironment([DatabaseEnvironment, BusEnvironment, IdentityEnvironment, ProjectorEnvironment], env);
}
