import type { EventMetadata } from '@vista/contracts';
import type { CommandMessage } from '@vista/bus';
import { injectTraceContext } from '@vista/telemetry/tracing';

/** Event metadata for events a command causes: its actor, correlation id and the active trace. */
export function commandMetadata(
  command: CommandMessage<unknown>,
  ids: { kitId?: number; runId?: string; jobId?: string; causationId?: string } = {},
): EventMetadata {
  const trace = injectTraceContext();
  return {
    actor: command.actor,
    correlationId: command.correlationId,
    ...ids,
    ...(trace.traceparent ? { traceparent: trace.traceparent } : {}),
    ...(trace.tracestate ? { tracestate: trace.tracestate } : {}),
  };
}
