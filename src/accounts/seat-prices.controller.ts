import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SeatPriceView, SeatPricesView } from './seat-prices.dto';
import { Caller } from '../auth/caller.decorator';
import type { Principal } from '../auth/principal';
import { RequiresScope } from '../auth/scope.decorator';
import { TenantScoped } from '../auth/tenant-scoped.decorator';
import { SeatPrices, validateSeatPrices } from '../seats/seat-prices';
import { AccountsRepository } from '../store/accounts.repository';
import { AccountsService } from './accounts.service';

const EXAMPLE = { currency: 'EUR', prices: { II: { amount: 59.9, per: 'month' }, jira: { amount: 96, per: 'year' } } };

/** Optional prices per product of one account; reclaimable seats then carry their monthly cost. */
@ApiTags('Integrated accounts')
@ApiBearerAuth()
@ApiExtraModels(SeatPriceView)
@TenantScoped()
@Controller('integrated-accounts/:id/seat-prices')
export class SeatPricesController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly rows: AccountsRepository,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The seat prices set for this account ({ currency: null, prices: {} } when none)' })
  @ApiOkResponse({ type: SeatPricesView })
  async get(@Param('id') id: string, @Caller() caller: Principal): Promise<SeatPrices | { currency: null; prices: Record<string, never> }> {
    const row = await this.accounts.get(id, caller);
    return row.seat_prices ? (JSON.parse(row.seat_prices) as SeatPrices) : { currency: null, prices: {} };
  }

  @Put()
  @RequiresScope('admin')
  @ApiOperation({
    summary: 'Set the seat prices of this account (replaces them)',
    description:
      'currency: an ISO 4217 code; prices: per product_code (as in the unified output), { amount from 0 to 1,000,000, per: "month" | "year" }. ' +
      'A yearly price counts as amount / 12 a month.',
  })
  @ApiBody({ type: SeatPricesView, examples: { prices: { value: EXAMPLE } } })
  @ApiOkResponse({ type: SeatPricesView })
  async put(@Param('id') id: string, @Body() body: unknown, @Caller() caller: Principal): Promise<SeatPrices> {
    await this.accounts.get(id, caller);
    const prices = validateSeatPrices(body);
    await this.rows.update(id, { seat_prices: JSON.stringify(prices), updated_at: new Date().toISOString() });
    return prices;
  }
}
