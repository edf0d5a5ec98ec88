import type { ErrorIssue, LotRowFieldsV1, Role } from '@vista/contracts';

/** What the lot rows need to know about a set-up model. */
export interface AssignableModel {
  readonly setupModelId: string;
  readonly name: string;
  readonly ownerId: string;
  /** The factors the model predicts from; null when the read model does not know them. */
  readonly factors: readonly string[] | null;
}

export interface Actor {
  readonly userId: string;
  readonly roles: readonly Role[];
  /** Set-up models the actor was granted access to. */
  readonly granted: ReadonlySet<string>;
}

/** Owner, admin or a granted user may use a set-up model (the auth service's rule). */
export const mayUse = (actor: Actor, model: AssignableModel): boolean =>
  actor.roles.includes('admin') || model.ownerId === actor.userId || actor.granted.has(model.setupModelId);

/** Problems of one row against its model: the model exists and the factors are exactly the model's. */
export function modelIssues(row: Pick<LotRowFieldsV1, 'setupModelId' | 'factors'>, model: AssignableModel | undefined, at: string): ErrorIssue[] {
  if (!model) return [{ path: `${at}setupModelId`, message: `set-up model ${row.setupModelId} does not exist` }];
  if (!model.factors) return [];
  const issues: ErrorIssue[] = [];
  const missing = model.factors.filter((f) => !(f in row.factors));
  if (missing.length > 0) issues.push({ path: `${at}factors`, message: `model ${model.name} needs the factors ${missing.join(', ')}` });
  const unknown = Object.keys(row.factors).filter((f) => !model.factors!.includes(f));
  if (unknown.length > 0)
    issues.push({ path: `${at}factors`, message: `model ${model.name} has no factors ${unknown.join(', ')} (it has ${model.factors.join(', ')})` });
  return issues;
}

/** The key a row may hold once while active. */
export const rowKey = (r: { lotId: string; processStep: string; setupModelId: string }): string => `${r.lotId}\u0000${r.processStep}\u0000${r.setupModelId}`;
