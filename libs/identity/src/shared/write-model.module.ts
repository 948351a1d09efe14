import { Module } from '@nestjs/common';
import { CommandExecutor } from './command-executor';
import { WriteModelSnapshots } from './write-model-snapshots';

/** The one command executor (and its snapshots) of a process: shared by the API and the reactors. */
@Module({ providers: [WriteModelSnapshots, CommandExecutor], exports: [WriteModelSnapshots, CommandExecutor] })
export class WriteModelModule {}
