export * from './command';
export * from './errors';
export * from './inventory';
export * from './key-match';
export * from './operations';
export * from './parameter-store';
export * from './read-value';
