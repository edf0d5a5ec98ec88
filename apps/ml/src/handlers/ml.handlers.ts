import { Injectable } from '@nestjs/common';
import { type BusEventDelivery, type HandlerResult, OnBusEvent } from '@vista/bus';
import { type EnvelopeOf, KitRunRetried, KitRunStopped, DoeCompleted } from '@vista/contracts';
import { STAGE_CONSUMER } from '@vista/jobs';
import { MlStage } from './ml.stage.js';

/** The ml service's events, on its one durable consumer: its trigger and the run's controls, in stream order. */
@Injectable()
export class MlHandlers {
  constructor(private readonly stage: MlStage) {}

  @OnBusEvent(DoeCompleted, { durable: 'ml', ...STAGE_CONSUMER })
  onDoeCompleted(event: EnvelopeOf<'DoeCompleted'>): Promise<HandlerResult> {
    return this.stage.events.trigger(event);
  }

  @OnBusEvent(KitRunStopped, { durable: 'ml' })
  onKitRunStopped(event: EnvelopeOf<'KitRunStopped'>, delivery: BusEventDelivery): Promise<HandlerResult> {
    return this.stage.events.stopped(event, delivery);
  }

  @OnBusEvent(KitRunRetried, { durable: 'ml' })
  onKitRunRetried(event: EnvelopeOf<'KitRunRetried'>, delivery: BusEventDelivery): Promise<HandlerResult> {
    return this.stage.events.retried(event, delivery);
  }
}
