import { Body, Controller, Delete, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { BrowserSessionsService } from './browser-sessions.service';
import { Public } from './public.decorator';
import { RequiresScope } from './scope.decorator';
import { CreateSessionDto, SessionView } from './session.dto';

const LOCKED_OUT = 'TOO_MANY_AUTH_FAILURES: too many failed attempts from this address; Retry-After says when to try again';
const COOKIE = 'hub_session=<opaque>; HttpOnly; SameSite=Strict; Path=/ (and Secure over https)';

/** Sign in and out of the browser session (the web page uses it; scripts keep the bearer header). */
@ApiTags('Browser session')
@Controller('session')
export class SessionController {
  constructor(private readonly sessions: BrowserSessionsService) {}

  @Post()
  @Public()
  @ApiOperation({
    summary: 'Sign in with an API key: sets the session cookie',
    description:
      `Answers with Set-Cookie: ${COOKIE}. The cookie then works on every route instead of the bearer header, with exactly the key's scope and tenant, ` +
      'until HUB_SESSION_TTL passes, the key expires or is revoked, or DELETE /session. Writes through it need X-CSRF-Token: <csrf_token>. ' +
      'A wrong, unknown, revoked or expired key is refused like a bad bearer key (401), and counts towards the failed-attempts limit (429).',
  })
  @ApiCreatedResponse({ type: SessionView })
  @ApiUnauthorizedResponse({ description: 'UNAUTHORIZED: a wrong, unknown or revoked key; API_KEY_EXPIRED: the key is past its expires_at' })
  @ApiTooManyRequestsResponse({ description: LOCKED_OUT })
  signIn(@Body() dto: CreateSessionDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<SessionView> {
    return this.sessions.signIn(dto.api_key, req, res);
  }

  @Get()
  @Public()
  @ApiOperation({ summary: 'The current browser session: its key and csrf_token (for a page that reloaded)' })
  @ApiOkResponse({ type: SessionView })
  @ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED: no session cookie, or its session ended (expired, signed out, key revoked)' })
  @ApiTooManyRequestsResponse({ description: LOCKED_OUT })
  current(@Req() req: Request): Promise<SessionView> {
    return this.sessions.current(req);
  }

  @Delete()
  @RequiresScope('read')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out: ends the session and clears the cookie (through the cookie, send X-CSRF-Token)' })
  @ApiNoContentResponse({ description: 'Signed out; the cookie is cleared' })
  async signOut(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.sessions.signOut(req, res);
  }
}
