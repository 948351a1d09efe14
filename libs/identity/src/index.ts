export * from './events/identity-events';
export * from './events/event-metadata';
export * from './identity.module';
export * from './registering-user/email-claim.decider';
export * from './registering-user/register-user.handler';
