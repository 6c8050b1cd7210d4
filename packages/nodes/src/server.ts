// @sluice/nodes/server: the server-only entry. Executors arrive with the engine issue; until then it
// re-exports the registry, so server code can already import from here.
export { getKind, type NodeConfigs, type NodeKind, registry } from './registry.js';
export { compileOnServer, nativeSha256 } from './server-compile.js';
