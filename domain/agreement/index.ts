export * from './raci';
export * from './input';
