import { Injectable } from '@nestjs/common';
import { type BusEventDelivery, type HandlerResult, OnBusEvent } from '@vista/bus';
import { type EnvelopeOf, KitRunRetried, KitRunStopped, DeckCollectionCompleted } from '@vista/contracts';
import { STAGE_CONSUMER } from '@vista/jobs';
import { DoeStage } from './doe.stage.js';

/** The doe service's events, on its one durable consumer: its trigger and the run's controls, in stream order. */
@Injectable()
export class DoeHandlers {
  constructor(private readonly stage: DoeStage) {}

  @OnBusEvent(DeckCollectionCompleted, { durable: 'doe', ...STAGE_CONSUMER })
  onDeckCollectionCompleted(event: EnvelopeOf<'DeckCollectionCompleted'>): Promise<HandlerResult> {
    return this.stage.events.trigger(event);
  }

  @OnBusEvent(KitRunStopped, { durable: 'doe' })
  onKitRunStopped(event: EnvelopeOf<'KitRunStopped'>, delivery: BusEventDelivery): Promise<HandlerResult> {
    return this.stage.events.stopped(event, delivery);
  }

  @OnBusEvent(KitRunRetried, { durable: 'doe' })
  onKitRunRetried(event: EnvelopeOf<'KitRunRetried'>, delivery: BusEventDelivery): Promise<HandlerResult> {
    return this.stage.events.retried(event, delivery);
  }
}
