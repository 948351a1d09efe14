export * from './identity-events';
export * from './event-metadata';
export * from './event-union';
export * from './secret-fields';
export * from './personal-fields';
