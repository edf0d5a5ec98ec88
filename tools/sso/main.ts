// The local OpenID Connect provider for `npm start` and development: `node dist/tools/sso/main.js`.
import { SSO_TEST_USERS, startSsoProvider } from '@vista/testing';

const port = Number(process.env.SSO_PORT ?? 3108);
const redirectUris = (process.env.SSO_REDIRECT_URIS ?? 'http://127.0.0.1:3000/api/v1/auth/callback,http://localhost:3000/api/v1/auth/callback').split(',');
const sso = await startSsoProvider({
  port,
  host: process.env.SSO_HOST ?? '127.0.0.1',
  clientId: process.env.SSO_CLIENT_ID ?? 'vista',
  clientSecret: process.env.SSO_CLIENT_SECRET ?? 'vista-local-secret',
  redirectUris,
  ...(process.env.SSO_PUBLIC_URL ? { publicUrl: process.env.SSO_PUBLIC_URL } : {}),
});
console.log(`sso: OpenID Connect provider at ${sso.issuer} (users: ${SSO_TEST_USERS.map((u) => `${u.username}/${u.password}`).join(', ')})`);
const stop = () => void sso.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
