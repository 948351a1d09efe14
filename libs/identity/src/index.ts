export * from './identity.module';
export * from './registering-user/email-claim.decider';
export * from './registering-user/register-user.handler';
export * from './sessions/principal';
export * from './sessions/session-authenticator';
export * from './sessions/session-token';
export * from './signing-in/sign-in.handler';
export * from './shared/account-directory';
export { WRITE_MODEL_SNAPSHOTS } from './shared/write-model-snapshots';
