/**
 * A Node built-in, loaded where it is first needed rather than when the bundle starts (a static
 * import becomes a require() at start-up). process.getBuiltinModule (Node 20.16 and later) does
 * not need node:module, whose loading alone is about a millisecond of every command; on an older
 * Node 20 the bundle's own require does the same.
 */
export function builtin<Module>(id: `node:${string}`): Module {
  if (typeof process.getBuiltinModule === 'function') return process.getBuiltinModule(id) as Module;
  // Only the CommonJS bundle runs on a Node this old, and its require loads built-ins.
  return require(id) as Module;
}
