export * from '../../constructs/conventions';
export * from './derived';
export * from './errors';
export * from './loader';
export * from './network';
export * from './regions';
export * from './schema';
export * from './validate';
