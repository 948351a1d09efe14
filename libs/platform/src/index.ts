export * from './clock';
export * from './config';
export * from './domain-error';
export * from './id-generator';
export * from './request-context';
export * from './secure-random';
export * from './throttles';
export * from './metrics';
