import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { RequiresScope } from '../auth/scope.decorator';
import { EncryptionStatus, KeyRotation } from './key-rotation';

class EncryptionStatusView implements EncryptionStatus {
  @ApiProperty({ example: '3f2a9c0d1e4b5a67', description: 'Id of HUB_ENCRYPTION_KEY (a fingerprint, never the key)' })
  current_key_id: string;
  @ApiProperty({ type: [String], description: 'Ids of the keys in HUB_ENCRYPTION_KEYS_PREVIOUS' })
  previous_key_ids: string[];
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { '3f2a9c0d1e4b5a67': 12, '9be01c77a2d34f10': 0 },
    description: 'Per key id, how many stored values it still seals',
  })
  sealed_values: Record<string, number>;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'object', additionalProperties: { type: 'integer' } },
    example: { credentials: { '3f2a9c0d1e4b5a67': 10, '9be01c77a2d34f10': 0 }, webhook_secrets: { '3f2a9c0d1e4b5a67': 2, '9be01c77a2d34f10': 0 } },
    description: 'sealed_values per kind of value: integrated accounts\' credentials, webhook endpoints\' signing secrets (the current one, and the previous one while it still signs)',
  })
  sealed_by_kind: Record<string, Record<string, number>>;
  @ApiProperty({ description: 'Values still sealed with a previous key; at 0, the previous keys can be removed' })
  pending_reseal: number;
}

@ApiTags('Admin')
@ApiBearerAuth()
@RequiresScope('admin', { untenanted: true })
@Controller('admin/encryption')
export class EncryptionController {
  constructor(private readonly rotation: KeyRotation) {}

  @Get()
  @ApiOperation({
    summary: 'Which encryption keys are configured, and how many stored values each key id seals',
    description: 'Root key or an admin key of no tenant. After a rotation, pending_reseal falls to 0 as the hub re-seals in the background.',
  })
  @ApiOkResponse({ type: EncryptionStatusView })
  async status(): Promise<EncryptionStatus> {
    return this.rotation.status();
  }
}
