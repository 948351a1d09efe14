export * from './audit-chain';
export * from './audit-checkpoint';
export * from './audit-chainer';
export * from './audit-signing-key';
export * from './canonical-event';
export * from './verify-log';
