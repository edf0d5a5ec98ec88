import { randomUUID } from 'node:crypto';
import type { CommandMessage } from '@vista/bus';
import type { StageControl, StageRun } from '@vista/jobs';

/**
 * A stop or retry command as the deck's runner takes it. Its position is the run stream's next
 * version: the run owner's own controls are ordered by its stream.
 */
export const runControl = (command: CommandMessage<{ runId: string }>, run: StageRun, reason?: string): StageControl => ({
  kitId: run.job!.kitId,
  runId: command.payload.runId,
  ...(reason ? { reason } : {}),
  eventId: randomUUID(),
  position: run.version + 1,
  correlationId: command.correlationId,
  actor: command.actor,
});
