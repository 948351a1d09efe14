export * from './read-store.port';
export * from './projector/projection';
export * from './projector/projector';
export * from './projector/projection-progress';
export * from './projections';
export * from './projector/reactor';
