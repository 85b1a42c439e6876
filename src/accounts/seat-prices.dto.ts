import { ApiProperty } from '@nestjs/swagger';

/** The OpenAPI shape of seat prices (validateSeatPrices checks the body itself, field by field). */
export class SeatPriceView {
  @ApiProperty({ minimum: 0, example: 59.9, description: 'The price of one seat, in the currency' }) amount: number;
  @ApiProperty({ enum: ['month', 'year'], description: 'What the amount pays for; a yearly price counts as amount / 12 a month' }) per: 'month' | 'year';
}

export class SeatPricesView {
  @ApiProperty({ nullable: true, type: String, example: 'EUR', description: 'ISO 4217 code; null when no prices are set' }) currency: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/SeatPriceView' },
    example: { II: { amount: 59.9, per: 'month' }, jira: { amount: 96, per: 'year' } },
    description: 'Per product_code (as in the unified output); {} when none are set',
  })
  prices: Record<string, SeatPriceView>;
}
