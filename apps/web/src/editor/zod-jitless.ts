// zod 4 probes `new Function("")` the first time it parses an object, to decide whether to compile
// fast parsers; under the app's CSP (no 'unsafe-eval') that probe is reported as a CSP violation.
// Jitless mode skips the probe. zod keeps its config on `globalThis.__zod_globalConfig`, the same
// object whether this runs before or after zod loads. Import this module first.
const existing: unknown = Reflect.get(globalThis, '__zod_globalConfig');
const config: object = typeof existing === 'object' && existing !== null ? existing : {};
Reflect.set(config, 'jitless', true);
Reflect.set(globalThis, '__zod_globalConfig', config);

export {};
