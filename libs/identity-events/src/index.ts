export * from './identity-events';
export * from './event-metadata';
