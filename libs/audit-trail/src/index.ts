export * from './audit-chain';
export * from './audit-checkpoint';
export * from './audit-chainer';
export * from './audit-signing-key';
export * from './canonical-event';
export * from './verify-log';
export * from './audit-integrity';
export * from './audit-trail.module';
