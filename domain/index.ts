export * from './auth';
export * from './directory';
export * from './forms';
export * from './observation';
export * from './options';
export * from './records';
export * from './kinds';
export * from './sync';
