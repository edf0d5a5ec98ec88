import { type JWK, SignJWT, decodeJwt, importJWK, jwtVerify } from 'jose';
import { ACCESS_TOKEN_ALGORITHM, ACCESS_TOKEN_AUDIENCE, SERVICE_TOKEN_ISSUER, UnauthenticatedError, serviceActor } from '@vista/contracts';

/** How long a service token lives; a new one is signed a minute before the old one expires. */
const SERVICE_TOKEN_SECONDS = 300;

/** Parses SERVICE_SIGNING_KEY: a private EC P-256 JWK as JSON. */
export function parseServiceKey(text: string): JWK {
  let jwk: JWK;
  try {
    jwk = JSON.parse(text) as JWK;
  } catch (error) {
    throw new Error('SERVICE_SIGNING_KEY is not valid JSON', { cause: error });
  }
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.d !== 'string') throw new Error('SERVICE_SIGNING_KEY must be a private EC P-256 JWK');
  return jwk;
}

/** The public half of a private JWK. */
export const publicJwkOf = ({ kty, crv, x, y, kid }: JWK): JWK => ({ kty, crv, x, y, ...(kid ? { kid } : {}) });

/** Signs the short-lived tokens a service sends its own commands with (`sub` `service:<name>`). */
export class ServiceTokenIssuer {
  private cached?: { token: string; renewAt: number };

  constructor(
    readonly name: string,
    private readonly privateJwk: JWK,
  ) {}

  get actor(): string {
    return serviceActor(this.name);
  }

  /** A valid token (cached while it has more than a minute left). */
  async token(): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    if (this.cached && now < this.cached.renewAt) return this.cached.token;
    const key = await importJWK(this.privateJwk, ACCESS_TOKEN_ALGORITHM);
    const token = await new SignJWT({ name: this.actor, roles: [] })
      .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, ...(this.privateJwk.kid ? { kid: this.privateJwk.kid } : {}), typ: 'JWT' })
      .setIssuer(SERVICE_TOKEN_ISSUER)
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setSubject(this.actor)
      .setIssuedAt(now)
      .setExpirationTime(now + SERVICE_TOKEN_SECONDS)
      .sign(key);
    this.cached = { token, renewAt: now + SERVICE_TOKEN_SECONDS - 60 };
    return token;
  }

  /** `Bearer <token>`, the value of the `Authorization` header. */
  async authorization(): Promise<string> {
    return `Bearer ${await this.token()}`;
  }
}

/** Verifies service tokens against the public half of SERVICE_SIGNING_KEY. */
export class ServiceTokenVerifier {
  constructor(private readonly publicJwk: JWK) {}

  /** True when the (unverified) token says it is a service token; it is then verified here and nowhere else. */
  static claimsToBeService(token: string): boolean {
    try {
      return decodeJwt(token).iss === SERVICE_TOKEN_ISSUER;
    } catch {
      return false;
    }
  }

  /** The service's actor id (`service:<name>`), or UnauthenticatedError. */
  async verify(token: string): Promise<string> {
    try {
      const key = await importJWK(this.publicJwk, ACCESS_TOKEN_ALGORITHM);
      const { payload } = await jwtVerify(token, key, {
        algorithms: [ACCESS_TOKEN_ALGORITHM],
        issuer: SERVICE_TOKEN_ISSUER,
        audience: ACCESS_TOKEN_AUDIENCE,
        requiredClaims: ['sub', 'exp'],
        clockTolerance: 5,
      });
      if (typeof payload.sub !== 'string' || !payload.sub.startsWith('service:')) throw new Error('not a service subject');
      return payload.sub;
    } catch (error) {
      throw new UnauthenticatedError('the service token is not valid', { cause: error });
    }
  }
}
