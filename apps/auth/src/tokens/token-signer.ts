import { createHash, randomBytes } from 'node:crypto';
import { type JWK, SignJWT, exportJWK, generateKeyPair, importJWK } from 'jose';
import { ACCESS_TOKEN_ALGORITHM, ACCESS_TOKEN_AUDIENCE, type Role } from '@vista/contracts';

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: Awaited<ReturnType<typeof importJWK>>;
  readonly publicJwk: JWK;
}

/** Reads the private EC P-256 JWK (JSON) of AUTH_SIGNING_KEY; without one, makes a key for this process only. */
export async function loadSigningKey(json: string | undefined): Promise<SigningKey> {
  if (!json) return generateSigningKey();
  let jwk: JWK;
  try {
    jwk = JSON.parse(json) as JWK;
  } catch {
    throw new Error('AUTH_SIGNING_KEY must be a private JWK as JSON');
  }
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.d) throw new Error('AUTH_SIGNING_KEY must be a private EC P-256 JWK (kty EC, crv P-256, d)');
  const kid = jwk.kid ?? thumbprintKid(jwk);
  const privateKey = (await importJWK({ ...jwk, alg: ACCESS_TOKEN_ALGORITHM }, ACCESS_TOKEN_ALGORITHM)) as SigningKey['privateKey'];
  const { d: _d, ...publicPart } = jwk;
  return { kid, privateKey, publicJwk: { ...publicPart, kid, alg: ACCESS_TOKEN_ALGORITHM, use: 'sig' } };
}

/** A new private EC P-256 JWK as JSON, with a `kid` (what `npm start` keeps under .data/). */
export async function generateSigningKeyJson(): Promise<string> {
  const { privateKey } = await generateKeyPair(ACCESS_TOKEN_ALGORITHM, { extractable: true });
  const jwk = await exportJWK(privateKey);
  return JSON.stringify({ ...jwk, kid: thumbprintKid(jwk), alg: ACCESS_TOKEN_ALGORITHM });
}

async function generateSigningKey(): Promise<SigningKey> {
  return loadSigningKey(await generateSigningKeyJson());
}

const thumbprintKid = (jwk: JWK) => createHash('sha256').update(`${jwk.crv}.${jwk.x}.${jwk.y}`).digest('base64url').slice(0, 16);

/** Signs short-lived ES256 access tokens with the claims of AccessTokenClaims. */
export class TokenSigner {
  constructor(
    private readonly key: SigningKey,
    private readonly issuer: string,
    readonly ttlSeconds: number,
  ) {}

  /** The public keys verifiers fetch. */
  jwks(): { keys: JWK[] } {
    return { keys: [this.key.publicJwk] };
  }

  sign(user: { sub: string; name: string; roles: readonly Role[]; sid: string }): Promise<string> {
    return new SignJWT({ name: user.name, roles: [...user.roles], sid: user.sid })
      .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, kid: this.key.kid, typ: 'JWT' })
      .setSubject(user.sub)
      .setIssuer(this.issuer)
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(this.key.privateKey);
  }
}

/** A refresh token: `<sessionId>.<random>`; only its SHA-256 is stored. */
export const newRefreshToken = (sessionId: string) => `${sessionId}.${randomBytes(32).toString('base64url')}`;
export const hashRefreshToken = (token: string) => createHash('sha256').update(token).digest('hex');
