export * from './read-store.port';
export * from './projector/projection';
export * from './projector/projector';
export * from './projector/projection-progress';
export * from './projections';
export * from './projector/reactor';
export * from './personal-data/personal-data-keys.port';
export * from './personal-data/secret-box-key-wrapper';
