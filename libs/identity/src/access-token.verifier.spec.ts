import { describe, expect, it } from '@jest/globals';
import { SignJWT, base64url } from 'jose';
import { UnauthenticatedError, UnavailableError } from '@vista/contracts';
import { createTestIdentity } from '@vista/testing';
import { AccessTokenVerifier, bearerToken } from './access-token.verifier.js';

const refused = async (promise: Promise<unknown>, pattern: RegExp) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnauthenticatedError);
  expect((error as Error).message).toMatch(pattern);
};

describe('AccessTokenVerifier', () => {
  it('answers the claims of a token signed by the trusted key', async () => {
    const identity = await createTestIdentity();
    const verifier = AccessTokenVerifier.fromEnvironment(identity.env);
    const token = await identity.token({ sub: 'u-1', name: 'Ada', roles: ['logic.general'], sid: 's-1' });
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'u-1', name: 'Ada', roles: ['logic.general'], sid: 's-1', aud: 'vista-api' });
    await expect(verifier.verifyAuthorization(`Bearer ${token}`)).resolves.toMatchObject({ sub: 'u-1' });
  });

  it('refuses a tampered signature, another key, a wrong issuer and an expired token', async () => {
    const identity = await createTestIdentity();
    const other = await createTestIdentity();
    const verifier = AccessTokenVerifier.fromEnvironment(identity.env);
    const [head, body, signature] = (await identity.token()).split('.');
    const flipped = base64url.encode(base64url.decode(signature!).map((b, i) => (i === 0 ? b ^ 1 : b)));
    await refused(verifier.verify(`${head}.${body}.${flipped}`), /signature/);
    await refused(verifier.verify(await other.token()), /known key|signature/);
    const elsewhere = await createTestIdentity({ issuer: 'http://evil.example' });
    await refused(AccessTokenVerifier.fromEnvironment({ ...elsewhere.env, AUTH_ISSUER: identity.issuer }).verify(await elsewhere.token()), /"iss"/);
    await refused(verifier.verify(await identity.token({ expiresInSeconds: -60 })), /expired/);
  });

  it('remembers a verified token until it expires, and runs the further checks on every use', async () => {
    const identity = await createTestIdentity();
    let refuseNow = false;
    const verifier = AccessTokenVerifier.fromEnvironment(identity.env, {
      clockToleranceSeconds: 0,
      checks: [
        () => {
          if (refuseNow) throw new UnauthenticatedError('the user is deactivated');
        },
      ],
    });
    const token = await identity.token({ sub: 'u-2', expiresInSeconds: 2 });
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'u-2' });
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'u-2' });
    refuseNow = true;
    await refused(verifier.verify(token), /deactivated/);
    refuseNow = false;
    // A remembered token is refused once its expiry passes, as a fresh one would be.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    await refused(verifier.verify(token), /expired/);
    // A tampered copy of a remembered token is checked on its own.
    const fresh = await identity.token({ sub: 'u-3' });
    await verifier.verify(fresh);
    await refused(verifier.verify(`${fresh.slice(0, -2)}${fresh.endsWith('A') ? 'B' : 'A'}A`), /signature|malformed/);
  });

  it('refuses alg none, HS256 keyed with the public key and a wrong audience', async () => {
    const identity = await createTestIdentity();
    const verifier = AccessTokenVerifier.fromEnvironment(identity.env);
    const claims = {
      sub: 'u',
      roles: ['admin'],
      iss: identity.issuer,
      aud: 'vista-api',
      iat: Math.floor(Date.now() / 1000),
      exp: Math.floor(Date.now() / 1000) + 60,
    };
    const none = `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url.encode(JSON.stringify(claims))}.`;
    await refused(verifier.verify(none), /ES256|malformed/);
    const hs = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: identity.kid })
      .sign(new TextEncoder().encode(JSON.stringify(identity.jwks.keys[0])));
    await refused(verifier.verify(hs), /ES256/);
    const wrongAud = await new SignJWT({ ...claims, aud: 'other' })
      .setProtectedHeader({ alg: 'ES256', kid: identity.kid })
      .sign(await import('jose').then((j) => j.importJWK(identity.privateJwk, 'ES256')));
    await refused(verifier.verify(wrongAud), /"aud"/);
  });

  it('refuses a missing or non-Bearer Authorization header', () => {
    expect(() => bearerToken(undefined)).toThrow(UnauthenticatedError);
    expect(() => bearerToken('Basic dXNlcjpwYXNz')).toThrow(/Bearer/);
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
  });

  it('runs its checks on a verified token and refuses what they refuse', async () => {
    const identity = await createTestIdentity();
    const deactivated = new Set(['gone']);
    const verifier = AccessTokenVerifier.fromEnvironment(identity.env, {
      checks: [
        (claims) => {
          if (deactivated.has(claims.sub)) throw new UnauthenticatedError('the user is deactivated');
        },
      ],
    });
    await expect(verifier.verify(await identity.token({ sub: 'here' }))).resolves.toMatchObject({ sub: 'here' });
    await refused(verifier.verify(await identity.token({ sub: 'gone' })), /deactivated/);
  });

  it('says the keys are unavailable (not that the token is bad) when the key set cannot be fetched', async () => {
    const identity = await createTestIdentity();
    const verifier = AccessTokenVerifier.fromEnvironment({ AUTH_ISSUER: identity.issuer, AUTH_JWKS_URL: 'http://127.0.0.1:9/jwks.json' });
    await expect(verifier.verify(await identity.token())).rejects.toBeInstanceOf(UnavailableError);
  });
});
