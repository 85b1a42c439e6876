import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ConnectorRegistry } from './connector.registry';

@ApiTags('Integrations')
@ApiBearerAuth()
@Controller('integrations')
export class IntegrationsController {
  constructor(private readonly registry: ConnectorRegistry) {}

  @Get()
  @ApiOkResponse({
    schema: {
      example: {
        result: [
          {
            id: 'jetbrains',
            name: 'JetBrains',
            credentials: [{ name: 'customer_code', label: 'Customer code', secret: false, required: true }],
            capabilities: ['authenticate', 'users', 'groups', 'licenses', 'proxy'],
          },
        ],
      },
    },
  })
  list() {
    return {
      result: this.registry.list().map(({ entry, baseUrl }) => ({
        id: entry.id,
        name: entry.name,
        description: entry.description ?? null,
        base_url: baseUrl,
        credentials: entry.credentials.map((f) => ({
          name: f.name,
          label: f.label,
          description: f.description ?? null,
          secret: f.secret,
          required: f.required,
          pattern: f.pattern ?? null,
          type: f.type ?? 'string',
        })),
        capabilities: entry.capabilities,
      })),
    };
  }
}
