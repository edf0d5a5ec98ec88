/** A job was asked to make a transition its current status does not allow. */
export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransitionError';
  readonly code = 'conflict' as const;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
