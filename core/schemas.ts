/** The versioned documents and the messages that move between workflows, activities and the CLI. */
export * from './primitives';
export * from './persona';
export * from './observation';
export * from './decision';
export * from './interaction-record';
export * from './audit-spec';
export * from './zod-error';
export * from './behaviour-log';
export * from './interview';
