/**
 * A Node built-in, loaded where it is first needed rather than when the bundle starts (a static
 * import becomes a require() at start-up). process.getBuiltinModule (Node 20.16 and later) does
 * not need node:module, whose loading alone is about a millisecond of every command; on an older
 * Node 20 the bundle's own require does the same.
 */
export function builtin<ID extends keyof Builtins>(id: ID): Builtins[ID] {
  if (typeof process.getBuiltinModule === 'function') return process.getBuiltinModule(id) as Builtins[ID];
  // Only the CommonJS bundle runs on a Node this old, and its require loads built-ins.
  return require(id) as Builtins[ID];
}

/** The ones loaded this way. */
interface Builtins {
  'node:child_process': typeof import('node:child_process');
  'node:crypto': typeof import('node:crypto');
  'node:module': typeof import('node:module');
  'node:tty': typeof import('node:tty');
}
