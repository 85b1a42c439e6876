import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { KEY_SCOPES, KeyScope } from './principal';

export class CreateSessionDto {
  @ApiProperty({ description: 'The API key to sign in with: HUB_API_KEY or a key from POST /api-keys (hub_…). Never stored; the session keeps its scope and tenant', example: 'hub_…' })
  @IsString({ message: 'api_key must be the API key, as a string' })
  @Length(1, 512, { message: 'api_key must be the API key, 1 to 512 characters' })
  api_key: string;
}

export class SessionKeyView {
  @ApiProperty({ description: 'The key\'s id ("root" for HUB_API_KEY)', example: 'root' }) id: string;
  @ApiProperty({ description: 'The key\'s name ("root" for HUB_API_KEY)', example: 'root' }) name: string;
  @ApiProperty({ enum: KEY_SCOPES, description: 'admin: every route; read: GET and HEAD only' }) scope: KeyScope;
  @ApiProperty({ nullable: true, type: String, description: 'The tenant the key is confined to; null: every tenant' }) tenant_id: string | null;
}

export class SessionView {
  @ApiProperty({ type: SessionKeyView, description: 'The key the session acts as' }) key: SessionKeyView;
  @ApiProperty({
    description: 'Send it as the X-CSRF-Token header with every write (any method but GET, HEAD, OPTIONS) made through the session cookie; GET /session gives it again after a reload',
  })
  csrf_token: string;
  @ApiProperty({ description: 'When the session ends (ISO 8601, UTC): HUB_SESSION_TTL after sign-in, or earlier when the key expires' }) expires_at: string;
}
