import type { BusEventDelivery, HandlerResult } from '@vista/bus';
import { type EnvelopeOf, type EventEnvelope, VistaError } from '@vista/contracts';
import type { StageRunner, StageTrigger } from './stage-runner.js';

/** Consumer settings of a stage's durable (declared once, on its trigger handler). */
export const STAGE_CONSUMER = { maxDeliver: 10, ackWaitMs: 30_000, retryDelaysMs: [200, 1_000, 5_000, 15_000] } as const;

/**
 * What a stage's event handlers do: the previous stage's completion requests this stage's job, and
 * the run owner's KitRunStopped / KitRunRetried control it. The three come through one durable, in
 * stream order, so a stop and the completion it follows are seen in the order they were recorded.
 */
export class StageEvents {
  constructor(
    private readonly runner: StageRunner,
    private readonly toTrigger: (event: EventEnvelope<Record<string, unknown>>) => StageTrigger | Promise<StageTrigger>,
  ) {}

  /** The previous stage completed: this stage's job is requested (once, however often the event comes). */
  async trigger(event: EventEnvelope<object>): Promise<HandlerResult> {
    let trigger: StageTrigger;
    try {
      trigger = await this.toTrigger(event as EventEnvelope<Record<string, unknown>>);
    } catch (error) {
      // A trigger this stage can never act on (e.g. parameters it refuses) is a poison message.
      if (error instanceof VistaError && error.code === 'invalid') return { kind: 'dead-letter', reason: error.message };
      throw error;
    }
    const outcome = await this.runner.request(trigger);
    return outcome === 'duplicate'
      ? { kind: 'skipped', reason: `${this.runner.spec.jobType} job of run ${trigger.runId} already requested` }
      : { kind: 'done' };
  }

  async stopped(event: EnvelopeOf<'KitRunStopped'>, delivery: BusEventDelivery): Promise<HandlerResult> {
    await this.runner.stop(controlOf(event, delivery));
    return { kind: 'done' };
  }

  async retried(event: EnvelopeOf<'KitRunRetried'>, delivery: BusEventDelivery): Promise<HandlerResult> {
    await this.runner.retry(controlOf(event, delivery));
    return { kind: 'done' };
  }
}

function controlOf(event: EventEnvelope<{ kitId: number; runId: string; reason?: string }>, delivery: BusEventDelivery) {
  return {
    kitId: event.data.kitId,
    runId: event.data.runId,
    ...(event.data.reason ? { reason: event.data.reason } : {}),
    eventId: event.eventId,
    position: delivery.position,
    correlationId: event.metadata.correlationId,
    actor: event.metadata.actor,
  };
}
