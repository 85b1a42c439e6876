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

/** What GET and PUT answer: the prices, and what of them applies to nothing. */
export class SeatPricesAnswerView extends SeatPricesView {
  @ApiProperty({
    nullable: true,
    type: [String],
    example: ['IIU'],
    description:
      'Priced product codes that none of the account\'s plans has in its last synced snapshot (a typo, or a product not bought yet): ' +
      'their price applies to no seat. [] when every code is known; null before the first sync, when nothing can be checked',
  })
  unknown_product_codes: string[] | null;
}
