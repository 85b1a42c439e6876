import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ConnectorRegistry } from './connector.registry';
import { IntegrationList, toIntegrationView } from './integrations.dto';

@ApiTags('Integrations')
@ApiBearerAuth()
@Controller('integrations')
export class IntegrationsController {
  constructor(private readonly registry: ConnectorRegistry) {}

  @Get()
  @ApiOperation({ summary: 'The connectors this hub has, with the credential fields a connect form needs' })
  @ApiOkResponse({ type: IntegrationList })
  list(): IntegrationList {
    return { result: this.registry.list().map(toIntegrationView) };
  }
}
