export * from './taxonomy';
export * from './rng';
export * from './schemas';
export * from './metrics';
export * from './reversal';
export * from './persona-stat-policy';
export type * from './policy';
