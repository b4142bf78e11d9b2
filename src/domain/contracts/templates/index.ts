export * from './contract-status.ts';
export * from './deal-types.ts';
export * from './match.ts';
export * from './readiness.ts';
export * from './registry.ts';
export * from './suggest.ts';
export * from './template.types.ts';
