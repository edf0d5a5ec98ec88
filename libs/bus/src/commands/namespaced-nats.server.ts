import { ServerNats, type NatsOptions } from '@nestjs/microservices';
import type { NatsConnection } from '@nats-io/transport-node';

type ServerNatsOptions = Required<NatsOptions>['options'];

/**
 * Nest's NATS transport with the bus namespace put in front of every pattern, so handlers name
 * `cmd.<context>.<Command>` statically while each deployment (or test run) has its own subjects.
 * Each pattern is subscribed in the service's queue group: replicas share the commands.
 */
export class NamespacedNatsServer extends ServerNats {
  constructor(
    private readonly namespace: string,
    options: ServerNatsOptions,
  ) {
    super(options);
  }

  override bindEvents(client: NatsConnection): void {
    const defaultQueue = (this as unknown as { options: ServerNatsOptions }).options.queue;
    for (const [pattern, handler] of this.messageHandlers) {
      const queue = (handler.extras?.queue as string | undefined) ?? defaultQueue;
      const sub = client.subscribe(`${this.namespace}.${pattern}`, {
        queue,
        callback: this.getMessageHandler(pattern).bind(this) as never,
      });
      (this as unknown as { subscriptions: unknown[] }).subscriptions.push(sub);
    }
  }
}
