/** Logging in at the local OpenID Connect provider (tools/sso) over plain HTTP, as a browser would: its real login form, cookies and redirects. */

export interface SsoCredentials {
  readonly username: string;
  readonly password: string;
}

/** The provider refused the username or password (its login page said so). */
export class SsoLoginRefused extends Error {}

class CookieJar {
  private readonly cookies = new Map<string, Map<string, string>>();

  store(url: URL, response: Response): void {
    const jar = this.cookies.get(url.origin) ?? new Map<string, string>();
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
    this.cookies.set(url.origin, jar);
  }

  header(url: URL): string {
    return [...(this.cookies.get(url.origin) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

const MAX_HOPS = 12;

/**
 * Follows an authorization URL through the provider's login page until the provider redirects to the
 * client's redirect URI; answers that URL (with `code`, `state` and `iss`, or an `error`).
 * Throws SsoLoginRefused when the provider's form refuses the credentials.
 */
export async function ssoAuthorize(authorizationUrl: string, credentials: SsoCredentials, redirectUri: string): Promise<URL> {
  const jar = new CookieJar();
  let url = new URL(authorizationUrl);
  let init: RequestInit = { method: 'GET' };
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    if (url.href.startsWith(redirectUri)) return url;
    const headers = new Headers(init.headers);
    const cookie = jar.header(url);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    jar.store(url, response);
    const location = response.headers.get('location');
    if (location) {
      await response.arrayBuffer();
      url = new URL(location, url);
      init = { method: 'GET' };
      continue;
    }
    const html = await response.text();
    if (response.status === 401) throw new SsoLoginRefused(`the SSO provider refused ${credentials.username}`);
    const action = /<form[^>]*method="post"[^>]*action="([^"]+)"/i.exec(html)?.[1];
    if (!action) throw new Error(`the SSO provider answered ${response.status} without a login form at ${url.href}: ${html.slice(0, 200)}`);
    url = new URL(action, url);
    init = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: credentials.username, password: credentials.password }).toString(),
    };
  }
  throw new Error(`the SSO login did not come back to ${redirectUri} within ${MAX_HOPS} redirects`);
}

/**
 * A whole SSO login through the gateway: `GET /api/v1/auth/login/sso`, the provider's login form, and
 * the gateway's callback (asked for JSON). Answers the gateway's token pair.
 */
export async function ssoLogin<T = { accessToken: string; refreshToken: string; user: { userId: string; roles: string[] } }>(
  gatewayUrl: string,
  credentials: SsoCredentials,
): Promise<T> {
  const start = await fetch(`${gatewayUrl}/api/v1/auth/login/sso`, { redirect: 'manual' });
  const authorizationUrl = start.headers.get('location');
  await start.arrayBuffer();
  if (!authorizationUrl) throw new Error(`GET /api/v1/auth/login/sso answered ${start.status} without a redirect`);
  const callback = await ssoAuthorize(authorizationUrl, credentials, `${gatewayUrl}/api/v1/auth/callback`);
  const response = await fetch(callback, { headers: { accept: 'application/json' }, redirect: 'manual' });
  const body = (await response.json()) as T;
  if (response.status !== 200) throw new Error(`the gateway's SSO callback answered ${response.status}: ${JSON.stringify(body)}`);
  return body;
}
