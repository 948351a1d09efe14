import { Module } from '@nestjs/common';
import { WriteModelModule } from '../shared/write-model.module';
import { ClosingChallengesReactor } from './closing-challenges.reactor';

/** Background work: runs where the projector runs (the embedded process, or the projector app). */
@Module({ imports: [WriteModelModule], providers: [ClosingChallengesReactor] })
export class ClosingChallengesModule {}
