// Helpers for tests of the API and of the server that mounts it (not for production code).
export {
  asDatabase,
  contextFor,
  createWorkspaceFixture,
  echoGraph,
  type FixtureUser,
  testMasterKey,
  testVault,
  tokenActor,
  userActor,
  type WorkspaceFixture,
} from './fixture';
export { idsOf, type ProcedureSample, procedureSamples } from './procedure-samples';
export { callProcedure, procedureEntries } from './router-walk';
