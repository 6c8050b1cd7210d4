export { appRouter, createCaller } from './root';
export type { AppRouter, RouterInputs, RouterOutputs } from './root';
export { createContextFactory } from './context';
export type { Context } from './context';
export { hashPassword } from './auth/password';
