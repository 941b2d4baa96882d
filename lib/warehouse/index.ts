export * from './command';
export * from './options';
export * from './plan';
export * from './script';
export * from './sql';
