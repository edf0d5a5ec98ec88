export type ErrorCode =
  | 'invalid'
  | 'not-found'
  /** No valid identity: the access token is missing, malformed, expired or not ours (HTTP 401). */
  | 'unauthenticated'
  | 'conflict'
  | 'forbidden'
  | 'unavailable'
  | 'timeout'
  | 'internal'
  /** An idempotency key already answered a different request. */
  | 'idempotency-key-reused';

export interface ErrorIssue {
  /** Where the problem is: a field path, a row/column, … */
  readonly path?: string;
  readonly message: string;
}

/** The error shape that crosses NATS: services never throw HTTP errors, the gateway maps codes. */
export interface WireError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly issues?: ErrorIssue[];
}

/** Base of every named error; keeps its cause. */
export class VistaError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; issues?: ErrorIssue[] },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.issues = options?.issues;
  }

  readonly issues?: ErrorIssue[];

  toWire(): WireError {
    return { code: this.code, message: this.message, ...(this.issues?.length ? { issues: this.issues } : {}) };
  }

  static fromWire(wire: WireError): VistaError {
    return new VistaError(wire.code, wire.message, { issues: wire.issues });
  }

  /** True when `value` looks like a WireError (e.g. an RPC error payload). */
  static isWire(value: unknown): value is WireError {
    return typeof value === 'object' && value !== null && typeof (value as WireError).code === 'string' && typeof (value as WireError).message === 'string';
  }
}

export class ValidationError extends VistaError {
  constructor(message: string, issues: ErrorIssue[] = [], options?: { cause?: unknown }) {
    super('invalid', message, { ...options, issues });
  }
}

export class NotFoundError extends VistaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('not-found', message, options);
  }
}

export class ConflictError extends VistaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('conflict', message, options);
  }
}

/** The caller has not proved who they are (no token, or one that does not verify). */
export class UnauthenticatedError extends VistaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('unauthenticated', message, options);
  }
}

export class ForbiddenError extends VistaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('forbidden', message, options);
  }
}

export class UnavailableError extends VistaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('unavailable', message, options);
  }
}

/** An idempotency key sent again with a request other than the one it first answered. */
export class IdempotencyKeyReusedError extends VistaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('idempotency-key-reused', message, options);
  }
}
