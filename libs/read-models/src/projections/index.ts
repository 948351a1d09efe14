import type { Projection } from '../projector/projection';
import { usersProjection } from './users.projection';

export * from './users.projection';

/** Every read model the service maintains. */
export const ALL_PROJECTIONS: readonly Projection<any>[] = [usersProjection];
