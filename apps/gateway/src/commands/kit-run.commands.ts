import { Inject, Injectable } from '@nestjs/common';
import { type CommandCall, CommandClient } from '@vista/bus';
import { ConflictError, type JobStatus, NotFoundError, RetryKitRun, StartKitRun, type StartKitRunResult, StopKitRun } from '@vista/contracts';
import type { RunAction, RunControlRequest } from '../dto/run-control.request.js';
import type { ControlledRun } from '../dto/run.response.js';
import type { StartKitRunRequest } from '../dto/start-kit-run.request.js';
import { RunQueries } from '../queries/run.queries.js';

const ENDED: readonly string[] = ['SUCCESS', 'FAILED', 'TIMEOUT', 'CANCELLED'] satisfies JobStatus[];
const RETRYABLE: readonly string[] = ['FAILED', 'TIMEOUT', 'CANCELLED'] satisfies JobStatus[];

/** Why `action` cannot apply to a run in `status`, or undefined when it can. */
export function controlRefusal(runId: string, status: string, action: RunAction): string | undefined {
  if (action === 'stop' && ENDED.includes(status)) return `run ${runId} already ended ${status}: there is nothing to stop`;
  if (action === 'retry' && !RETRYABLE.includes(status)) {
    return `run ${runId} is ${status}: only a run that FAILED, timed out (TIMEOUT) or was CANCELLED can be retried`;
  }
  return undefined;
}

/** Starts, stops and retries kit runs through the deck service, which owns runs. */
@Injectable()
export class KitRunCommands {
  constructor(
    @Inject(CommandClient) private readonly client: CommandClient,
    @Inject(RunQueries) private readonly runs: RunQueries,
  ) {}

  start(kitId: number, request: StartKitRunRequest, call: CommandCall): Promise<StartKitRunResult> {
    return this.client.execute(
      StartKitRun,
      {
        kitId,
        ...(request.deckId !== undefined ? { deckId: request.deckId } : {}),
        ...(request.sourcePath !== undefined ? { sourcePath: request.sourcePath } : {}),
        ...(request.params !== undefined ? { params: request.params } : {}),
      },
      call,
    );
  }

  /**
   * Checks the action against the run as the read model shows it, so an obvious mistake (an unknown
   * run, stopping a finished one) is answered without a round trip; the deck service checks again
   * against its own state.
   */
  async control(runId: string, request: RunControlRequest, call: CommandCall): Promise<ControlledRun> {
    const run = await this.runs.get(runId);
    if (!run) throw new NotFoundError(`run ${runId} does not exist`);
    const refusal = controlRefusal(runId, run.status, request.action);
    if (refusal) throw new ConflictError(refusal);
    const payload = { runId, ...(request.reason !== undefined ? { reason: request.reason } : {}) };
    const status = runUrl(runId);
    if (request.action === 'stop') {
      const result = await this.client.execute(StopKitRun, payload, call);
      return { runId: result.runId, action: 'stop', status, cancelledJobIds: result.cancelledJobIds };
    }
    const result = await this.client.execute(RetryKitRun, payload, call);
    return { runId: result.runId, action: 'retry', status };
  }
}

export const runUrl = (runId: string): string => `/api/v1/runs/${runId}`;
