import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';

/** A person who can log in at the local provider. */
export interface SsoUser {
  readonly username: string;
  readonly password: string;
  readonly name: string;
  readonly email: string;
}

/** The local OpenID Connect provider (tools/sso) users (passwords are `<username>-password`): for `npm start` and tests only. */
export const SSO_TEST_USERS: readonly SsoUser[] = ['admin', 'alice', 'bob', 'carol', 'dave'].map((username) => ({
  username,
  password: `${username}-password`,
  name: username === 'admin' ? 'Admin' : username[0]!.toUpperCase() + username.slice(1),
  email: `${username}@vista.local`,
}));

export interface SsoProviderOptions {
  /** 0 picks a free port. */
  readonly port: number;
  readonly host?: string;
  /** The issuer as clients reach it, when not http://<host>:<port> (e.g. behind a container name). */
  readonly publicUrl?: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUris: readonly string[];
  readonly users?: readonly SsoUser[];
  /** Accept a registered loopback redirect URI on any port (RFC 8252 §7.3): tests whose gateway port is picked at start. */
  readonly anyLoopbackPort?: boolean;
}

export interface RunningSsoProvider {
  readonly issuer: string;
  readonly port: number;
  close(): Promise<void>;
}

const withoutPort = (uri: string) => {
  const url = new URL(uri);
  url.port = '';
  return url.href;
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const loginPage = (uid: string, error?: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Vista SSO — sign in</title>
<style>body{font-family:system-ui,sans-serif;max-width:22rem;margin:4rem auto}label{display:block;margin:.6rem 0}input{width:100%;padding:.4rem}
.error{color:#b00020}button{margin-top:1rem;padding:.5rem 1rem}</style></head>
<body><h1>Vista SSO</h1><p>Sign in to continue to Vista.</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label>Username <input name="username" autocomplete="username" required autofocus></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button></form></body></html>`;

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > 10_000) break;
  }
  return new URLSearchParams(body);
}

/**
 * A real OpenID Connect provider (oidc-provider) with a username/password login page: the
 * authorization-code flow with PKCE, ID tokens with `preferred_username`, `name` and `email`.
 */
export async function startSsoProvider(options: SsoProviderOptions): Promise<RunningSsoProvider> {
  const users = new Map((options.users ?? SSO_TEST_USERS).map((u) => [u.username, u]));
  const host = options.host ?? '127.0.0.1';
  // Loaded here, not at import: only the tests and tools that run a provider pay for it. Loaded before
  // listening, so that no request reaches the port before the provider's handler is attached.
  const { default: Provider } = await import('oidc-provider');
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const issuer = options.publicUrl ?? `http://${host}:${port}`;

  const configuration: Configuration = {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: [...options.redirectUris],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email'] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    interactions: { url: (_ctx: KoaContextWithOIDC, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx: KoaContextWithOIDC, sub: string) => {
      const user = users.get(sub);
      return user && { accountId: sub, claims: () => ({ sub, name: user.name, preferred_username: user.username, email: user.email }) };
    },
    // Vista is the provider's own first-party client: the scopes it asks for need no consent screen.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      if (!ctx.oidc.session?.accountId) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid profile email');
      await grant.save();
      return grant;
    },
  };
  const provider = new Provider(issuer, configuration);
  if (options.anyLoopbackPort) {
    const registered = new Set(options.redirectUris.map(withoutPort));
    // The documented way to widen the exact-match check: a loopback URI on another port matches.
    provider.Client.prototype.redirectUriAllowed = function redirectUriAllowed(uri: string) {
      const url = URL.canParse(uri) ? new URL(uri) : undefined;
      return url !== undefined && (url.hostname === '127.0.0.1' || url.hostname === 'localhost') && registered.has(withoutPort(uri));
    };
  }
  const callback = provider.callback();

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec((req.url ?? '').split('?')[0]!);
      if (!match) return callback(req, res);
      const details = await provider.interactionDetails(req, res);
      if (req.method === 'GET' && !match[2]) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginPage(details.uid));
        return;
      }
      if (req.method === 'POST' && match[2]) {
        const form = await readForm(req);
        const user = users.get(form.get('username') ?? '');
        if (!user || user.password !== form.get('password')) {
          res.writeHead(401, { 'content-type': 'text/html; charset=utf-8' }).end(loginPage(details.uid, 'Wrong username or password.'));
          return;
        }
        await provider.interactionFinished(req, res, { login: { accountId: user.username } }, { mergeWithLastSubmission: false });
        return;
      }
      res.writeHead(405).end();
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(`this login cannot go on: ${(error as Error).message}`);
    });
  });

  return {
    issuer,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
