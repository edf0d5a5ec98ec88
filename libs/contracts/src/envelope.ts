import { IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, IsUUID, Matches, MaxLength, Min } from 'class-validator';

/** Who did it and why: travels with every event and command. */
export class EventMetadata {
  /** User id, service name (`service:deck`) or `anonymous`. */
  @IsString() @MaxLength(200) actor!: string;
  /** Shared by everything one request caused. */
  @IsUUID() correlationId!: string;
  /** The event or command that caused this one. */
  @IsOptional() @IsUUID() causationId?: string | null;
  @IsOptional() @IsInt() @Min(1) kitId?: number;
  @IsOptional() @IsUUID() runId?: string;
  @IsOptional() @IsUUID() jobId?: string;
  /** W3C trace context of the operation that produced the event. */
  @IsOptional() @Matches(/^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/) traceparent?: string;
  @IsOptional() @IsString() @MaxLength(512) tracestate?: string;
}

/** An event as it travels on the bus (JSON body of a JetStream message). */
export class EventEnvelope<TData = unknown> {
  @IsUUID() eventId!: string;
  @IsString() @Matches(/^[A-Z][A-Za-z0-9]+$/) type!: string;
  @IsInt() @Min(1) schemaVersion!: number;
  /** The event-store stream it was appended to (`<aggregate>-<id>`) and its version there. */
  @IsString() @MaxLength(200) streamId!: string;
  @IsInt() @Min(1) streamVersion!: number;
  /** The owning service's schema (`deck`, `doe`, …). */
  @IsIn(['run', 'deck', 'doe', 'ml', 'optimize', 'auth', 'lot', 'metrics']) context!: string;
  @IsISO8601() occurredAt!: string;
  @IsObject() metadata!: EventMetadata;
  @IsObject() data!: TData;
}

/** An envelope with the bus position (JetStream stream sequence) it was delivered at. */
export interface DeliveredEvent<TData = unknown> {
  readonly envelope: EventEnvelope<TData>;
  /** Position in the events stream; doubles as the read-model version. */
  readonly position: number;
}
