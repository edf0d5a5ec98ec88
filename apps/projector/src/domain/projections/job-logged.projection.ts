import { projection, timestamp } from './projection.js';

/** Lines a job wrote: one row per line, keyed by the event and the line's index. */
export const JobLoggedProjection = projection('JobLogged', (p, ctx) =>
  p.lines.forEach((line, seq) =>
    ctx.log({
      event_id: ctx.event.envelope.eventId,
      seq,
      job_id: p.jobId,
      attempt: p.attempt,
      job_type: p.jobType,
      kit_id: p.kitId,
      run_id: p.runId,
      at: timestamp(line.at, ctx.event),
      level: line.level,
      task: line.task ?? null,
      message: line.message,
      position: ctx.position,
    }),
  ),
);
