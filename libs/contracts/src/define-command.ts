import type { BoundedContext } from './define-event.js';
import type { ClassOf } from './validation.js';

export interface CommandDefinition<TName extends string = string, TPayload extends object = object, TResult = unknown> {
  readonly kind: 'command';
  readonly name: TName;
  readonly context: BoundedContext;
  readonly payload: ClassOf<TPayload>;
  /** The NATS pattern below the namespace: `cmd.<context>.<name>`. */
  readonly pattern: string;
  /** Type-only marker of the reply. */
  readonly result?: TResult;
}

/** Declares a command contract carried as NATS request/reply. */
export function defineCommand<TName extends string, TPayload extends object, TResult>(definition: {
  name: TName;
  context: BoundedContext;
  payload: ClassOf<TPayload>;
}): CommandDefinition<TName, TPayload, TResult> {
  return { kind: 'command', pattern: `cmd.${definition.context}.${definition.name}`, ...definition };
}

export type CommandPayloadOf<C> = C extends CommandDefinition<string, infer P, unknown> ? P : never;
export type CommandResultOf<C> = C extends CommandDefinition<string, object, infer R> ? R : never;
