import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandCall } from '@vista/bus';
import { type AccessTokenClaims, BeginSsoLogin, CompleteSsoLogin, GetMe, LoginWithPassword, Logout, RefreshSession, ValidationError } from '@vista/contracts';
import { Caller } from '@vista/identity';
import type { Request, Response } from 'express';
import { IdentityCommands } from '../commands/identity.commands.js';
import { LoginRequest, MeResponse, RefreshRequest, SsoLoginQuery, TokenResponse } from '../dto/identity.dto.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { CommandCallOf } from '../http/command-call.decorator.js';
import { Authenticated, Public } from '../http/route-policy.decorator.js';

/** Where the dashboard picks up the tokens after an SSO login (read once, then removed from the address). */
const DASHBOARD_LOGIN_FRAGMENT = '/#login=';

@ApiBearerAuth()
@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(@Inject(IdentityCommands) private readonly identity: IdentityCommands) {}

  @Post('login')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Log in with a local username and password (the bootstrapped admin)', description: 'Rate limited per address.' })
  @ApiOkResponse({ type: TokenResponse })
  @ApiProblems(400)
  login(@Body() body: LoginRequest, @CommandCallOf() call: CommandCall): Promise<TokenResponse> {
    return this.identity.send(LoginWithPassword, { username: body.username, password: body.password }, call);
  }

  @Get('login/sso')
  @Public()
  @ApiOperation({
    summary: 'Start an SSO login',
    description: "Redirects to the OpenID Connect provider's login page (authorization-code flow with PKCE); it comes back to /api/v1/auth/callback.",
  })
  @ApiFoundResponse({ description: "Redirect to the identity provider's login page." })
  @ApiProblems(400, 503)
  async ssoLogin(@Query() query: SsoLoginQuery, @Req() req: Request, @CommandCallOf() call: CommandCall, @Res() res: Response): Promise<void> {
    // The callback as this browser reaches the gateway; the provider accepts only the redirect URIs registered with it.
    const redirectUri = `${req.protocol}://${req.get('host')}/api/v1/auth/callback`;
    const { authorizationUrl } = await this.identity.send(BeginSsoLogin, { redirectUri, ...(query.loginHint ? { loginHint: query.loginHint } : {}) }, call);
    res.redirect(HttpStatus.FOUND, authorizationUrl);
  }

  @Get('callback')
  @Public()
  @ApiOperation({
    summary: 'Where the identity provider sends the browser back',
    description:
      'Completes the SSO login (the code is exchanged with the PKCE verifier; state and nonce checked). A browser is redirected to the dashboard ' +
      'with the tokens in the address fragment; a client asking for `application/json` gets the tokens as JSON.',
  })
  @ApiOkResponse({ type: TokenResponse })
  @ApiFoundResponse({ description: 'Redirect to the dashboard, logged in.' })
  @ApiProblems(400, 503)
  async callback(@Req() req: Request, @CommandCallOf() call: CommandCall, @Res() res: Response): Promise<void> {
    const query = req.originalUrl.split('?')[1] ?? '';
    if (!new URLSearchParams(query).get('state'))
      throw new ValidationError('the callback needs the state the login started with', [{ path: 'state', message: 'is required' }]);
    const tokens = await this.identity.send(CompleteSsoLogin, { query }, call);
    if (req.accepts(['html', 'json']) === 'json') {
      res.status(HttpStatus.OK).json(tokens);
      return;
    }
    const fragment = Buffer.from(JSON.stringify({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken })).toString('base64url');
    res.redirect(HttpStatus.FOUND, `${DASHBOARD_LOGIN_FRAGMENT}${fragment}`);
  }

  @Post('refresh')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Exchange a refresh token for new tokens',
    description: 'Each refresh token is used once and replaced; a used one sent again ends the whole session (both tokens stop working).',
  })
  @ApiOkResponse({ type: TokenResponse })
  @ApiProblems(400)
  refresh(@Body() body: RefreshRequest, @CommandCallOf() call: CommandCall): Promise<TokenResponse> {
    return this.identity.send(RefreshSession, { refreshToken: body.refreshToken }, call);
  }

  @Post('logout')
  @Public()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'End the session of a refresh token' })
  @ApiProblems(400)
  async logout(@Body() body: RefreshRequest, @CommandCallOf() call: CommandCall): Promise<void> {
    await this.identity.send(Logout, { refreshToken: body.refreshToken }, call);
  }

  @Get('me')
  @Authenticated()
  @ApiOperation({ summary: 'The logged-in user, with their roles and pending role requests' })
  @ApiOkResponse({ type: MeResponse })
  @ApiProblems()
  me(@Caller() caller: AccessTokenClaims, @CommandCallOf() call: CommandCall): Promise<MeResponse> {
    return this.identity.send(GetMe, { withPendingRequests: true }, call, caller);
  }
}
