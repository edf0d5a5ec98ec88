import { projection, timestamp } from './projection.js';

/** A project created; its creator owns it. */
export const ProjectCreatedProjection = projection('ProjectCreated', (p, ctx) => {
  const at = timestamp(p.createdAt, ctx.event);
  ctx.put('projects', {
    project_id: p.projectId,
    name: p.name,
    description: p.description ?? null,
    owner: ctx.event.envelope.metadata.actor,
    created_at: at,
    updated_at: at,
    position: ctx.position,
  });
});
