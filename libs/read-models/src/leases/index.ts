export * from './background-work-lease';
export * from './fenced-read-store';
export * from './leased-projection-progress';
