import { Inject, Injectable } from '@nestjs/common';
import { type CommandCall, CommandClient } from '@vista/bus';
import {
  ConflictError,
  type JobStatus,
  NotFoundError,
  RetryKitRun,
  type RetryKitRunV1,
  StartKitRun,
  type StartKitRunResult,
  StopKitRun,
  type StopKitRunV1,
  VistaError,
} from '@vista/contracts';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config.js';
import type { RunAction, RunControlRequest } from '../dto/run-control.request.js';
import type { ControlledRun } from '../dto/run.response.js';
import type { StartKitRunRequest } from '../dto/start-kit-run.request.js';
import { keyedCommand } from '../http/idempotency-key.js';
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
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** With an idempotency key, the deck service starts at most one run for it and answers repeats with that run. */
  start(kitId: number, request: StartKitRunRequest, call: CommandCall, idempotencyKey?: string): Promise<StartKitRunResult> {
    const idempotency = keyedCommand(idempotencyKey, START_ROUTE, { kitId, body: request });
    return this.client.execute(
      StartKitRun,
      {
        kitId,
        ...(request.deckId !== undefined ? { deckId: request.deckId } : {}),
        ...(request.sourcePath !== undefined ? { sourcePath: request.sourcePath } : {}),
        ...(request.params !== undefined ? { params: request.params } : {}),
        ...(idempotency ? { idempotency } : {}),
      },
      this.timed(call),
    );
  }

  /**
   * Checks the action against the run as the read model shows it, so an obvious mistake (an unknown
   * run, stopping a finished one) is answered without a round trip; the deck service checks again
   * against its own state.
   */
  async control(runId: string, request: RunControlRequest, call: CommandCall, idempotencyKey?: string): Promise<ControlledRun> {
    const run = await this.runs.get(runId);
    if (!run) throw new NotFoundError(`run ${runId} does not exist`);
    const idempotency = keyedCommand(idempotencyKey, CONTROL_ROUTE, { runId, body: request });
    const refusal = controlRefusal(runId, run.status, request.action);
    // A keyed repeat of a control that was answered finds the run already moved on: it gets the first answer.
    if (refusal && !idempotency) throw new ConflictError(refusal);
    const payload = {
      runId,
      ...(request.reason !== undefined ? { reason: request.reason } : {}),
      ...(idempotency ? { idempotency: refusal ? { ...idempotency, replayOnly: true } : idempotency } : {}),
    };
    try {
      return await this.send(request.action, payload, call);
    } catch (error) {
      if (refusal && error instanceof VistaError && error.code === 'not-found') throw new ConflictError(refusal);
      throw error;
    }
  }

  private async send(action: RunAction, payload: StopKitRunV1 & RetryKitRunV1, call: CommandCall): Promise<ControlledRun> {
    const status = runUrl(payload.runId);
    if (action === 'stop') {
      const result = await this.client.execute(StopKitRun, payload, this.timed(call));
      return { runId: result.runId, action: 'stop', status, cancelledJobIds: result.cancelledJobIds };
    }
    const result = await this.client.execute(RetryKitRun, payload, this.timed(call));
    return { runId: result.runId, action: 'retry', status };
  }

  private timed(call: CommandCall): CommandCall {
    return { timeoutMs: this.config.COMMAND_TIMEOUT_MS, ...call };
  }
}

export const START_ROUTE = 'POST /api/v1/kits/{kitId}/runs';
export const CONTROL_ROUTE = 'POST /api/v1/runs/{runId}/control';

export const runUrl = (runId: string): string => `/api/v1/runs/${runId}`;
