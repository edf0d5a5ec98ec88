import type { RunControl, RunRow } from '../read-model.rows.js';
import { projection, type ProjectionContext, timestamp } from './projection.js';

// The stage services record what follows a stop or retry (the job CANCELLED, the new attempt
// PENDING); the run keeps the control itself, which does not change its status.

export const KitRunStoppedProjection = projection('KitRunStopped', (p, ctx) =>
  putControl(ctx, p.runId, p.kitId, { action: 'stop', at: timestamp(p.stoppedAt, ctx.event), reason: p.reason ?? null }),
);

export const KitRunRetriedProjection = projection('KitRunRetried', (p, ctx) =>
  putControl(ctx, p.runId, p.kitId, { action: 'retry', at: timestamp(p.retriedAt, ctx.event), reason: p.reason ?? null }),
);

/**
 * The run row a stop or retry writes: position 0, so its placeholder columns never win over the
 * run's own (`latest` needs a higher position, `once` keeps the first non-null); the control is
 * stamped with its event's position and merges on that.
 */
function putControl(ctx: ProjectionContext, runId: string, kitId: number, control: Pick<RunControl, 'action' | 'at' | 'reason'>): void {
  ctx.touchKit(kitId);
  const row: RunRow = {
    run_id: runId,
    kit_id: kitId,
    deck_id: null,
    source_path: null,
    params: null,
    started_at: null,
    status: 'PENDING',
    last_control: { ...control, actor: ctx.event.envelope.metadata.actor, position: ctx.position },
    started_by: null,
    position: 0,
  };
  ctx.put('runs', row);
}
