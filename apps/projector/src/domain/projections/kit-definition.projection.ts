import { KIT_NEW, type KitDefinition, type KitRow } from '@vista/read-model';
import { projection, type ProjectionContext, timestamp } from './projection.js';

type Defined = { kitId: number; name: string; description?: string; defaultParams: Record<string, unknown>; projectId?: string };

/** A kit created as a named task: NEW until its first run; its creator owns it. */
export const KitCreatedProjection = projection('KitCreated', (p, ctx) => {
  const at = timestamp(p.createdAt, ctx.event);
  ctx.touchKit(p.kitId);
  ctx.put('kits', {
    ...placeholder(p.kitId, at),
    owner: ctx.event.envelope.metadata.actor,
    definition: definitionOf(p, ctx, { archived: false, archivedAt: null, updatedAt: at }),
    position: ctx.position,
  });
});

export const KitUpdatedProjection = projection('KitUpdated', (p, ctx) => {
  const at = timestamp(p.updatedAt, ctx.event);
  ctx.touchKit(p.kitId);
  ctx.put('kits', { ...placeholder(p.kitId, at), definition: definitionOf(p, ctx, { archived: false, archivedAt: null, updatedAt: at }) });
});

export const KitArchivedProjection = projection('KitArchived', (p, ctx) => {
  const at = timestamp(p.archivedAt, ctx.event);
  ctx.touchKit(p.kitId);
  ctx.put('kits', { ...placeholder(p.kitId, at), definition: definitionOf(p, ctx, { archived: true, archivedAt: at, updatedAt: at }) });
});

function definitionOf(p: Defined, ctx: ProjectionContext, state: Pick<KitDefinition, 'archived' | 'archivedAt' | 'updatedAt'>): KitDefinition {
  return {
    name: p.name,
    description: p.description ?? null,
    defaultParams: p.defaultParams,
    projectId: p.projectId ?? null,
    ...state,
    updatedBy: ctx.event.envelope.metadata.actor,
    position: ctx.position,
  };
}

/**
 * A kit row at position 0: its run columns never win over a run's (`latest` needs a higher
 * position) and its owner stays unset (`once`); the definition is stamped and merges on its own.
 */
function placeholder(kitId: number, at: string): KitRow {
  return {
    kit_id: kitId,
    last_run_id: null,
    status: KIT_NEW,
    current_task: null,
    current_order: null,
    runs: 0,
    owner: null,
    definition: null,
    created_at: at,
    updated_at: at,
    position: 0,
  };
}
