import { IsBoolean, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** Printable ASCII, 1 to 200 characters: what an `Idempotency-Key` header may hold. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x20-\x7e]{1,200}$/;

/** Hours a keyed command's first answer is kept and replayed. */
export const IDEMPOTENCY_TTL_HOURS = 24;

/**
 * The client's `Idempotency-Key` of a state-changing request, carried with its command: the service
 * runs the command once per (actor, route, key) and answers a repeat with the first result.
 */
export class CommandIdempotencyV1 {
  /** The client's key, as sent in the header. */
  @IsString() @Matches(IDEMPOTENCY_KEY_PATTERN, { message: 'key must be 1..200 printable characters' }) key!: string;
  /** The HTTP route the key was sent to (`POST /api/v1/kits/{kitId}/runs`): keys are scoped per route. */
  @IsString() @MaxLength(200) route!: string;
  /** SHA-256 (hex) of the canonical request (route, path parameters, body; an upload's file hash and form fields). */
  @IsString() @Matches(/^[0-9a-f]{64}$/, { message: 'requestDigest must be a hex SHA-256' }) requestDigest!: string;
  /**
   * Answer only a stored result, never run the command: the caller refused the request itself and
   * asks whether the same request was already answered.
   */
  @IsOptional() @IsBoolean() replayOnly?: boolean;
}
