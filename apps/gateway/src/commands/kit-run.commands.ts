import { Inject, Injectable } from '@nestjs/common';
import { type CommandCall, CommandClient } from '@vista/bus';
import { StartKitRun, type StartKitRunResult, StopKitRun, type StopKitRunResult } from '@vista/contracts';
import type { RunControlRequest } from '../dto/run-control.request.js';
import type { StartKitRunRequest } from '../dto/start-kit-run.request.js';

/** Starts and stops kit runs through the deck service, which owns runs. */
@Injectable()
export class KitRunCommands {
  constructor(@Inject(CommandClient) private readonly client: CommandClient) {}

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

  control(runId: string, request: RunControlRequest, call: CommandCall): Promise<StopKitRunResult> {
    // `stop` is the only action so far; retry joins it with its command.
    return this.client.execute(StopKitRun, { runId, ...(request.reason !== undefined ? { reason: request.reason } : {}) }, call);
  }
}
