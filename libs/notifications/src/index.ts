export * from './mailer.port';
export * from './notifications.module';
export * from './templates';
