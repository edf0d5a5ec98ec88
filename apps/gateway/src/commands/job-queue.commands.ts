import { Inject, Injectable, Logger } from '@nestjs/common';
import { type CommandCall, CommandClient } from '@vista/bus';
import { GetQueuePositions, JOB_TYPES, type JobType, type QueuePositionV1 } from '@vista/contracts';

/** A queue position is a hint, not worth holding a state answer for long. */
const POSITION_TIMEOUT_MS = 1_000;

/** Asks the stage services where queued jobs stand (their queues are theirs; the read model has no positions). */
@Injectable()
export class JobQueueCommands {
  private readonly logger = new Logger('JobQueueCommands');

  constructor(@Inject(CommandClient) private readonly client: CommandClient) {}

  /**
   * The position of each queued job (its stage and run), asked of the stages at once. A stage that does
   * not answer in time leaves its jobs without a position rather than failing the whole answer.
   */
  async positions(queued: readonly { jobType: string; runId: string }[], call: CommandCall): Promise<Map<string, QueuePositionV1>> {
    const byStage = new Map<JobType, string[]>();
    for (const { jobType, runId } of queued) {
      if (!(JOB_TYPES as readonly string[]).includes(jobType)) continue;
      byStage.set(jobType as JobType, [...(byStage.get(jobType as JobType) ?? []), runId]);
    }
    const found = new Map<string, QueuePositionV1>();
    await Promise.all(
      [...byStage].map(async ([stage, runIds]) => {
        try {
          const { positions } = await this.client.execute(GetQueuePositions[stage], { runIds }, { ...call, timeoutMs: POSITION_TIMEOUT_MS });
          for (const [runId, position] of Object.entries(positions)) found.set(`${stage}:${runId}`, position);
        } catch (error) {
          this.logger.warn(`${stage} did not say where its queued jobs stand: ${(error as Error).message}`);
        }
      }),
    );
    return found;
  }
}
