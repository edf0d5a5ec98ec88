import * as oidc from 'openid-client';
import { UnavailableError } from '@vista/contracts';

export interface SsoIdentity {
  readonly subject: string;
  readonly username: string;
  readonly name: string;
  readonly email: string | null;
}

/**
 * The OpenID Connect relying party: authorization-code flow with PKCE (S256), state and nonce,
 * against the configured provider (discovered once, again after a failure).
 */
export class SsoClient {
  private configuration: Promise<oidc.Configuration> | undefined;

  constructor(private readonly settings: { issuer: string; clientId: string; clientSecret: string; redirectUri: string }) {}

  private config(): Promise<oidc.Configuration> {
    this.configuration ??= oidc
      .discovery(new URL(this.settings.issuer), this.settings.clientId, undefined, oidc.ClientSecretBasic(this.settings.clientSecret), {
        // A provider on plain http is only accepted on this machine (local runs and tests).
        execute: new URL(this.settings.issuer).protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
        timeout: 10,
      })
      .catch((error: unknown) => {
        this.configuration = undefined;
        throw new UnavailableError(`the SSO provider ${this.settings.issuer} does not answer`, { cause: error });
      });
    return this.configuration;
  }

  /** Where to send the browser, and the secrets to keep until it comes back. */
  async begin(
    loginHint?: string,
    redirectUri = this.settings.redirectUri,
  ): Promise<{ authorizationUrl: string; state: string; codeVerifier: string; nonce: string; redirectUri: string }> {
    const config = await this.config();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid profile email',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...(loginHint ? { login_hint: loginHint } : {}),
    });
    return { authorizationUrl: url.href, state, codeVerifier, nonce, redirectUri };
  }

  /** Exchanges the code the browser came back with for the verified identity. */
  async complete(query: string, checks: { state: string; codeVerifier: string; nonce: string; redirectUri: string }): Promise<SsoIdentity> {
    const config = await this.config();
    const callback = new URL(checks.redirectUri);
    callback.search = query;
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: checks.codeVerifier,
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new UnavailableError('the SSO provider answered without an ID token');
    // The ID token names the subject; the profile and email come from the userinfo endpoint.
    const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    const username = String(info.preferred_username ?? claims.preferred_username ?? claims.sub);
    return {
      subject: `${claims.iss}#${claims.sub}`,
      username,
      name: String(info.name ?? claims.name ?? username),
      email: typeof info.email === 'string' ? info.email : null,
    };
  }
}
