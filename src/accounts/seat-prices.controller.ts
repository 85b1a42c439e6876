import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SeatPriceView, SeatPricesAnswerView, SeatPricesView } from './seat-prices.dto';
import { Caller } from '../auth/caller.decorator';
import type { Principal } from '../auth/principal';
import { RequiresScope } from '../auth/scope.decorator';
import { TenantScoped } from '../auth/tenant-scoped.decorator';
import { SeatPrices, validateSeatPrices } from '../seats/seat-prices';
import { AccountsRepository } from '../store/accounts.repository';
import { DirectoryRepository } from '../store/directory.repository';
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
    private readonly directory: DirectoryRepository,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The seat prices set for this account ({ currency: null, prices: {} } when none)' })
  @ApiOkResponse({ type: SeatPricesAnswerView })
  async get(@Param('id') id: string, @Caller() caller: Principal): Promise<SeatPricesAnswer> {
    const row = await this.accounts.get(id, caller);
    if (!row.seat_prices) return { currency: null, prices: {}, unknown_product_codes: row.current_snapshot_id ? [] : null };
    const prices = JSON.parse(row.seat_prices) as SeatPrices;
    return { ...prices, unknown_product_codes: await this.unknownCodes(row.current_snapshot_id, prices) };
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
  @ApiOkResponse({ type: SeatPricesAnswerView })
  async put(@Param('id') id: string, @Body() body: unknown, @Caller() caller: Principal): Promise<SeatPricesAnswer> {
    const row = await this.accounts.get(id, caller);
    const prices = validateSeatPrices(body);
    await this.rows.update(id, { seat_prices: JSON.stringify(prices), updated_at: new Date().toISOString() });
    return { ...prices, unknown_product_codes: await this.unknownCodes(row.current_snapshot_id, prices) };
  }

  /**
   * Priced codes that no plan of the last snapshot has. Not refused: a price may be set before a
   * product is bought, or before the first sync; said, so that a typo does not go unnoticed.
   */
  private async unknownCodes(snapshotId: string | null, prices: SeatPrices): Promise<string[] | null> {
    if (!snapshotId) return null;
    const known = new Set((await this.directory.all(snapshotId, 'licenses')).map((plan) => (JSON.parse(plan.data) as { product_code: string }).product_code));
    return Object.keys(prices.prices).filter((code) => !known.has(code)).sort();
  }
}

type SeatPricesAnswer = (SeatPrices | { currency: null; prices: Record<string, never> }) & { unknown_product_codes: string[] | null };
