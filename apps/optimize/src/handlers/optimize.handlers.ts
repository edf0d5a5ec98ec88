import { Injectable } from '@nestjs/common';
import { type BusEventDelivery, type HandlerResult, OnBusEvent } from '@vista/bus';
import { type EnvelopeOf, KitRunRetried, KitRunStopped, MlTestCompleted } from '@vista/contracts';
import { STAGE_CONSUMER } from '@vista/jobs';
import { OptimizeStage } from './optimize.stage.js';

/** The optimize service's events, on its one durable consumer: its trigger and the run's controls, in stream order. */
@Injectable()
export class OptimizeHandlers {
  constructor(private readonly stage: OptimizeStage) {}

  @OnBusEvent(MlTestCompleted, { durable: 'optimize', ...STAGE_CONSUMER })
  onMlTestCompleted(event: EnvelopeOf<'MlTestCompleted'>): Promise<HandlerResult> {
    return this.stage.events.trigger(event);
  }

  @OnBusEvent(KitRunStopped, { durable: 'optimize' })
  onKitRunStopped(event: EnvelopeOf<'KitRunStopped'>, delivery: BusEventDelivery): Promise<HandlerResult> {
    return this.stage.events.stopped(event, delivery);
  }

  @OnBusEvent(KitRunRetried, { durable: 'optimize' })
  onKitRunRetried(event: EnvelopeOf<'KitRunRetried'>, delivery: BusEventDelivery): Promise<HandlerResult> {
    return this.stage.events.retried(event, delivery);
  }
}
