import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/public.decorator';
import { HubMetrics } from './hub-metrics';
import { MetricsAccess } from './metrics-access';

@ApiTags('Health')
@ApiBearerAuth()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: HubMetrics,
    private readonly access: MetricsAccess,
  ) {}

  @Get()
  @Public()
  @ApiOperation({
    summary: 'Prometheus metrics of this replica (text exposition format)',
    description: 'Needs HUB_METRICS_TOKEN as a bearer (when set) or an admin key without tenant; answered by every role, workers included.',
  })
  @ApiOkResponse({ content: { 'text/plain': { schema: { type: 'string', example: 'hub_sync_runs_total{integration="jetbrains",status="succeeded",code="",replica="…"} 3' } } } })
  async scrape(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.access.assert(req);
    const { contentType, body } = await this.metrics.render();
    res.setHeader('Content-Type', contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.send(body);
  }
}
