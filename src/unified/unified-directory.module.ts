import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { StoreModule } from '../store/store.module';
import { SyncModule } from '../sync/sync.module';
import { UnifiedController } from './unified.controller';
import { UnifiedService } from './unified.service';
import { ReclaimableSeatsService } from './reclaimable-seats.service';
import { PeopleService } from './people.service';
import { ChangesService } from './changes.service';
import { PlanUtilizationService } from './plan-utilization.service';

/** `/unified/user-directory/*`: users, groups and license plans from the last sync, or live. */
@Module({
  imports: [StoreModule, AccountsModule, SyncModule],
  controllers: [UnifiedController],
  providers: [UnifiedService, ReclaimableSeatsService, PeopleService, PlanUtilizationService, ChangesService],
})
export class UnifiedDirectoryModule {}
