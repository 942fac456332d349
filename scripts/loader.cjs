#!/usr/bin/env node
// awsguard's entry: runs dist/main.cjs from V8's code cache when there is one. Compiling the
// bundle is about a fifth of the start-up of a command people run all day, and Node 20 has no
// compile cache of its own (module.enableCompileCache came in Node 22). The cache is made at
// build time by the same Node; another Node rejects it and the bundle is compiled as usual.
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { Script } = require('node:vm');

const file = join(__dirname, 'main.cjs');
const cacheFile = file + '.v8cache';
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  // No cache: compile as usual.
}
// The bundle is CommonJS; this is the wrapper Node's own loader puts around it, plus the one
// thing a script compiled with vm cannot do by itself: import() (Node 20 needs a flag for it).
const wrapper = '(function (exports, require, module, __filename, __dirname, __awsguardImport) {' + readFileSync(file, 'utf8') + '\n})';
const script = new Script(wrapper, { filename: file, cachedData });
if (process.env.AWSGUARD_BUILD_CODE_CACHE === cacheFile) {
  // At build time: after a representative command, so the functions it ran are cached compiled.
  process.on('exit', () => require('node:fs').writeFileSync(cacheFile, script.createCachedData()));
}
const mod = { exports: {} };
script.runInThisContext()(mod.exports, require, mod, file, __dirname, (specifier) => import(specifier));
