import { ApiProperty } from '@nestjs/swagger';

/** The answer of a DELETE that removed (or revoked) one thing: its id. */
export class DeletedView {
  @ApiProperty({ description: 'The id of what was deleted or revoked' }) id: string;
}
