import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { EventConsumer, ensureDurableConsumer, type HandlerResult } from '@vista/bus';
import { type BusNames, type DeliveredEvent, type EventEnvelope, VistaError } from '@vista/contracts';
import type { StageControl, StageRunner, StageTrigger } from './stage-runner.js';

export interface StageConsumerOptions {
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly names: BusNames;
  /** Durable consumer name: the service name. */
  readonly durable: string;
  readonly runner: StageRunner;
  /** The previous stage's completion event. */
  readonly triggerType: string;
  /** Builds the job request from the trigger; throwing a VistaError('invalid') dead-letters the event with the reason. */
  readonly toTrigger: (event: EventEnvelope<Record<string, unknown>>) => StageTrigger | Promise<StageTrigger>;
  readonly onError: (error: unknown, message: string) => void;
}

const MAX_DELIVER = 10;
const RETRY_DELAYS_MS = [200, 1_000, 5_000, 15_000];

/**
 * A stage's one durable consumer: the previous stage's completion starts this stage's job, and
 * KitRunStopped / KitRunRetried control it. They come through one consumer, in stream order, so a
 * stop and the completion it follows are seen in the order the run owner recorded them. (NATS
 * before 2.10 filters a consumer on one subject only, hence every event with the others skipped.)
 */
export class StageConsumer {
  private consumer?: EventConsumer;

  constructor(private readonly options: StageConsumerOptions) {}

  async start(): Promise<void> {
    const { js, jsm, names, durable } = this.options;
    await ensureDurableConsumer(jsm, { stream: names.eventsStream, durable, filterSubjects: [names.allEvents], maxDeliver: MAX_DELIVER, ackWaitMs: 30_000 });
    this.consumer = new EventConsumer(js, names, {
      stream: names.eventsStream,
      durable,
      maxDeliver: MAX_DELIVER,
      retryDelaysMs: RETRY_DELAYS_MS,
      onError: this.options.onError,
    });
    await this.consumer.start((event) => this.handle(event));
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
  }

  status() {
    return this.consumer?.status();
  }

  private async handle(delivered: DeliveredEvent<object>): Promise<HandlerResult> {
    const envelope = delivered.envelope as EventEnvelope<Record<string, unknown>>;
    const { runner } = this.options;
    switch (envelope.type) {
      case this.options.triggerType: {
        let trigger: StageTrigger;
        try {
          trigger = await this.options.toTrigger(envelope);
        } catch (error) {
          // A trigger this stage can never act on (e.g. parameters it refuses) is a poison message.
          if (error instanceof VistaError && error.code === 'invalid') return { kind: 'dead-letter', reason: error.message };
          throw error;
        }
        const outcome = await runner.request(trigger);
        return outcome === 'duplicate' ? { kind: 'skipped', reason: `${runner.spec.jobType} job of run ${envelope.data.runId} already requested` } : { kind: 'done' };
      }
      case 'KitRunStopped':
        await runner.stop(controlOf(delivered));
        return { kind: 'done' };
      case 'KitRunRetried':
        await runner.retry(controlOf(delivered));
        return { kind: 'done' };
      default:
        return { kind: 'skipped', reason: 'not for this stage' };
    }
  }
}

function controlOf(delivered: DeliveredEvent<object>): StageControl {
  const envelope = delivered.envelope as EventEnvelope<{ kitId: number; runId: string; reason?: string }>;
  return {
    kitId: envelope.data.kitId,
    runId: envelope.data.runId,
    ...(envelope.data.reason ? { reason: envelope.data.reason } : {}),
    eventId: envelope.eventId,
    position: delivered.position,
    correlationId: envelope.metadata.correlationId,
    actor: envelope.metadata.actor,
  };
}
