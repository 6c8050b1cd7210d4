import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { createCallerFactory, router } from './init';
import { alertRouter } from './routers/alert';
import { approvalRouter } from './routers/approval';
import { auditRouter } from './routers/audit';
import { credentialRouter } from './routers/credential';
import { memberRouter } from './routers/member';
import { runRouter } from './routers/run';
import { sessionRouter } from './routers/session';
import { tokenRouter } from './routers/token';
import { workflowRouter } from './routers/workflow';
import { workspaceRouter } from './routers/workspace';

export const appRouter = router({
  session: sessionRouter,
  workflow: workflowRouter,
  run: runRouter,
  audit: auditRouter,
  token: tokenRouter,
  member: memberRouter,
  alert: alertRouter,
  credential: credentialRouter,
  approval: approvalRouter,
  workspace: workspaceRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export const createCaller = createCallerFactory(appRouter);
