import { Inject, Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import type { HubDatabase } from './database';
import { HUB_DATABASE } from './database.token';

/** Asks the database for the smallest answer it can give, for the readiness check. */
@Injectable()
export class DatabasePing {
  constructor(@Inject(HUB_DATABASE) private readonly db: HubDatabase) {}

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }
}
