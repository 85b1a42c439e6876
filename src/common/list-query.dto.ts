import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export const MAX_LIMIT = 200;
export const DEFAULT_LIMIT = 50;

/** `limit` and `next_cursor`, shared by every list. */
export class PageQuery {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_LIMIT,
    default: DEFAULT_LIMIT,
    description: `Page size; with next_cursor and no limit, the previous page's size is kept`,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: `limit must be an integer between 1 and ${MAX_LIMIT}` })
  @Min(1, { message: `limit must be an integer between 1 and ${MAX_LIMIT}` })
  @Max(MAX_LIMIT, { message: `limit must be an integer between 1 and ${MAX_LIMIT}` })
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  next_cursor?: string;
}

/**
 * The size of the page to serve: the caller's `limit`, else the one the cursor carries (page 2 of a
 * walk started with limit=200 is 200 too), else the default.
 */
export function pageLimit(requested: number | undefined, cursor?: { l?: number } | null): number {
  return requested ?? cursor?.l ?? DEFAULT_LIMIT;
}

export interface Page<T> {
  result: T[];
  next_cursor: string | null;
  result_count: number;
}
