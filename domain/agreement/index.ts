export * from './raci';
export * from './input';
export * from './from-state';
