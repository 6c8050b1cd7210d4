// The run event union the live subscription delivers, as a type only (the schemas live in spec).
export type { RunEvent } from '@sluice/spec';
