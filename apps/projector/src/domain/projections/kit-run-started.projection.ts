import { projection, timestamp } from './projection.js';

/** A run started: the kit counts one more run, PENDING until its first job moves; who started it owns it. */
export const KitRunStartedProjection = projection('KitRunStarted', (p, ctx) => {
  ctx.touchKit(p.kitId);
  ctx.put('kits', {
    kit_id: p.kitId,
    last_run_id: p.runId,
    status: 'PENDING',
    current_task: null,
    current_order: null,
    runs: 1,
    owner: ctx.event.envelope.metadata.actor,
    definition: null,
    created_at: ctx.occurredAt,
    updated_at: ctx.occurredAt,
    position: ctx.position,
  });
  ctx.put('runs', {
    run_id: p.runId,
    kit_id: p.kitId,
    deck_id: p.deckId ?? null,
    source_path: p.sourcePath ?? null,
    params: p.params as unknown as Record<string, unknown>,
    started_at: timestamp(p.startedAt, ctx.event),
    status: 'PENDING',
    last_control: null,
    started_by: ctx.event.envelope.metadata.actor,
    position: ctx.position,
  });
});
