export * from './command';
export * from '../config/warehouse-access';
export * from './plan';
export * from './script';
export * from './sql';
