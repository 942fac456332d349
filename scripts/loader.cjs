#!/usr/bin/env node
// awsguard's entry: runs dist/main.cjs from V8's code cache when there is one. Compiling the
// bundle is about a fifth of the start-up of a command people run all day, and Node 20 has no
// compile cache of its own (module.enableCompileCache came in Node 22). The cache is made at
// build time by the same Node; another Node rejects it and the bundle is compiled as usual.
// dist/aws-sdk.cjs, the AWS SDK in one file (scripts/aws-sdk.cjs), runs the same way when a
// command first imports the SDK.
'use strict';
const { isAscii } = require('node:buffer');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { Script } = require('node:vm');

/**
 * Runs one CommonJS bundle of dist/ from its code cache. This is the wrapper Node's own loader
 * puts around a module, plus the one thing a script compiled with vm cannot do by itself:
 * import() (Node 20 needs a flag for it).
 */
function run(name) {
  const file = join(__dirname, name);
  const cacheFile = file + '.v8cache';
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // No cache: compile as usual.
  }
  const bytes = readFileSync(file);
  // What esbuild writes is ASCII but for comments, and ASCII is its own Latin-1: a copy, not a decoding.
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const wrapper = '(function (exports, require, module, __filename, __dirname, __awsguardImport) {' + source + '\n})';
  // A name that does not depend on where dist/ is: V8 keeps the name the cache was made under
  // (a temporary build directory, or the publisher's machine) and shows it in stack traces.
  const script = new Script(wrapper, { filename: `awsguard/dist/${name}`, cachedData });
  if (process.env.AWSGUARD_BUILD_CODE_CACHE === cacheFile) {
    // At build time: after a representative command, so the functions it ran are cached compiled.
    process.on('exit', () => require('node:fs').writeFileSync(cacheFile, script.createCachedData()));
  }
  const mod = { exports: {} };
  script.runInThisContext()(mod.exports, require, mod, file, __dirname, importFor);
  return mod.exports;
}

// Filled in by scripts/build.mjs: the commands dist/hot.cjs, a smaller bundle, runs; it has no code for the others.
const HOT_COMMANDS = [];

/**
 * A built-in module as import() gives it: its exports by name, read when asked (some are
 * getters that load more, like fs.promises), and as default. import() would start Node's ES
 * module loader, about 2 ms of a cache miss, for modules require() has at hand.
 */
function builtin(specifier) {
  const exports = require(specifier);
  const namespace = Object.create(null);
  for (const name of Object.keys(exports)) Object.defineProperty(namespace, name, { enumerable: true, get: () => exports[name] });
  Object.defineProperty(namespace, 'default', { enumerable: true, value: exports });
  Object.defineProperty(namespace, Symbol.toStringTag, { value: 'Module' });
  return Object.freeze(namespace);
}

let sdk;
/** import() for the bundles: the SDK's modules from dist/aws-sdk.cjs, Node's from require(), anything else as Node finds it. */
function importFor(specifier) {
  if (specifier.startsWith('node:')) return Promise.resolve().then(() => builtin(specifier));
  if (/^@(aws-sdk|smithy)\//.test(specifier)) {
    return Promise.resolve().then(() => {
      sdk ??= run('aws-sdk.cjs');
      const load = sdk[specifier];
      if (typeof load !== 'function') throw new Error(`dist/aws-sdk.cjs has no ${specifier} (scripts/aws-sdk.cjs lists what it bundles)`);
      return load();
    });
  }
  return import(specifier);
}

run(HOT_COMMANDS.includes(process.argv[2]) ? 'hot.cjs' : 'main.cjs');
