// The http kind's server-only API: its executor and the SSRF guard, for @sluice/nodes/server.
export { createHttpExecutor, httpExecutor, type HttpExecutorOptions } from './execute.js';
export { type AddressClass, type AddressKind, classifyAddress, NEVER_CALLABLE } from './guard/address.js';
export { type ConnectOptions, type Connector, connect, type RawResponse } from './guard/connector.js';
export { ResolveError, type ResolvedAddress, type Resolver, systemResolver } from './guard/resolver.js';
export { type CheckedTarget, checkTarget } from './guard/target.js';
