export * from './escape-html';
export * from './security-notice';
export * from './password-changed.template';
