export * from './concurrency/concurrency-limiter';
export * from './password/argon2-password-hasher';
export * from './password/password-hasher.port';
export * from './password/password-policy';
export * from './security.module';
export * from './device/ip-address';
export * from './device/ip-locator';
export * from './device/user-agent';
