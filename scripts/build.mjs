// Bundles the CLI: module resolution across many small files is a measurable share of
// start-up, and the commands people run all day must start fast. The AWS SDK, large and loaded
// only on a cache miss, is a bundle of its own (dist/aws-sdk.cjs); Ink and React land in the
// picker's chunk, which only `pick` loads.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { Script } from 'node:vm';
import { dirname, join } from 'node:path';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/**
/**
 * Built into a directory of its own beside dist/, moved in only when complete (replaceDist): a
 * command running from dist/ (a test, the demo) never finds it gone or half-written, and two
 * builds at once each leave a whole build.
 */
const out = mkdtempSync('dist.building-');
// A build that fails leaves dist/ as it was, and no half-built directory behind.
process.on('exit', () => rmSync(out, { recursive: true, force: true }));

/**
 * Ink imports its devtools hook only when DEV is set; nothing to bundle for it. `ws` comes only
 * through that hook's window polyfill (a seventh of the picker's bundle, parsed on every pick).
 */
const stubDevtools = {
  name: 'stub-devtools',
  setup(b) {
    b.onResolve({ filter: /^(react-devtools-core|ws)$/ }, (args) => ({ path: args.path, namespace: 'stub' }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export default {};', loader: 'js' }));
  },
};

/**
 * Yoga's WebAssembly ships as a data: URL inside its JS, which Emscripten's loader fetches on
 * Node through fetch(), loading undici and decoding the URL in JS: half of the time Ink takes
 * to load. Here the bytes are decoded natively (Buffer) and handed to the loader, which then
 * compiles them directly; the URL itself is left out of the bundle.
 */
const yogaBytes = {
  name: 'yoga-bytes',
  setup(b) {
    const DATA = /(["'])data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)\1/;
    const BINARIES = /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/;
    const bytesIn = (path) => {
      const found = DATA.exec(readFileSync(path, 'utf8'));
      if (!found) throw new Error(`${path}: no data: URL of the WebAssembly (yoga-layout changed how it ships it)`);
      return found[2];
    };
    b.onLoad({ filter: BINARIES }, (args) => ({ contents: readFileSync(args.path, 'utf8').replace(DATA, '""'), loader: 'js' }));
    b.onLoad({ filter: /yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const call = 'wrapAssembly(await loadYoga())';
      if (!text.includes(call)) throw new Error(`${args.path}: no "${call}" (yoga-layout changed how it loads)`);
      const bytes = bytesIn(join(dirname(args.path), '../binaries/yoga-wasm-base64-esm.js'));
      return { contents: text.replace(call, `wrapAssembly(await loadYoga({ wasmBinary: Buffer.from(${JSON.stringify(bytes)}, 'base64') }))`), loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

/**
 * Two of Ink's dependencies, replaced in the picker's bundle by modules of ours that give the
 * same results faster (each is tested against the original):
 * - string-width, whose emoji regex costs tens of milliseconds the first time a line is not
 *   ASCII (the key help is not): src/tui/ink-width.ts measures with src/tty/width.ts;
 * - @alcalzone/ansi-tokenize, whose styledCharsToString is most of every Ink frame:
 *   src/tui/ink-ansi-tokenize.ts skips the diffs between characters of one style.
 */
const inkFaster = {
  name: 'ink-faster',
  setup(b) {
    const ours = { 'string-width': 'src/tui/ink-width.ts', '@alcalzone/ansi-tokenize': 'src/tui/ink-ansi-tokenize.ts' };
    b.onResolve({ filter: /^(string-width|@alcalzone\/ansi-tokenize)$/ }, (args) => {
      const path = join(process.cwd(), ours[args.path]);
      // Our module imports the original by the same name.
      return args.importer === path ? undefined : { path };
    });
  },
};

/**
 * What awsguard uses of each SDK client is listed in src/credentials/sdk/ (client-sts.ts, ...).
 * The command bundles import each list under its package's name, which the loader hands them
 * from dist/aws-sdk.cjs. There each name comes from its own module of the package's ES build
 * (a client from dist-es/NAME.js, a command from dist-es/commands/NAME.js): the package's
 * index brings every command of the service (IAM has 180, with their schemas), which a cache
 * miss then spent a tenth of its time loading. A name without such a module stops the build.
 */
const SDK_PARTS = /[\\/]src[\\/]credentials[\\/]sdk[\\/](client-[a-z-]+)\.ts$/;
const sdkParts = {
  name: 'sdk-parts',
  setup(b) {
    b.onLoad({ filter: SDK_PARTS }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const lists = [...text.matchAll(/^export \{([^}]*)\} from '(@aws-sdk\/client-[a-z-]+)';$/gm)];
      const pkg = `@aws-sdk/${SDK_PARTS.exec(args.path)[1]}`;
      if (lists.length !== 1 || lists[0][2] !== pkg) throw new Error(`${args.path}: expected one "export { ... } from '${pkg}';"`);
      const root = dirname(createRequire(args.path).resolve(`${pkg}/package.json`));
      const lines = lists[0][1].split(',').map((name) => name.trim()).filter(Boolean).map((name) => {
        const part = `dist-es/${name.endsWith('Command') ? 'commands/' : ''}${name}.js`;
        if (!existsSync(join(root, part))) throw new Error(`${args.path}: ${pkg} has no ${part} for ${name}`);
        return `export { ${name} } from '${pkg}/${part}';`;
      });
      return { contents: lines.join('\n') + '\n', loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

/**
 * The SDK's HTTP handlers include one for HTTP/2, which awsguard never uses (its clients speak
 * HTTP/1.1) and whose node:http2 was a seventh of a cache miss's start when loaded. From the
 * SDK's ES modules, that handler and node:http2 are left out of dist/aws-sdk.cjs; if a later SDK
 * brings them back in, the build stops here rather than load it on every cache miss.
 */
function checkNoHttp2(path) {
  if (/["']node:http2["']|["']http2["']/.test(readFileSync(path, 'utf8'))) throw new Error(`${path}: the SDK now brings node:http2 into the bundle; load it lazily (a plugin in scripts/build.mjs) or leave out what brings it`);
}

/**
 * Every SDK client setting (region, FIPS, retries, app id, ...) reads the shared config files
 * anew, and the SDK caches their text but parses it on each read: with a large config, a
 * command that makes many clients (doctor, one IAM pair per key) spent seconds parsing the same
 * text. In dist/aws-sdk.cjs the parse (and the config file's profile map) is kept per text and
 * frozen: the readers only look up settings, and the one SDK function that writes into what it
 * reads (mergeConfigFiles, for its own credential providers, which awsguard does not use) then
 * throws instead of changing what the next reader sees. The parser is handed only the sections
 * the SDK reads from (src/credentials/sdk/shared-config-sections.ts says which and why). The
 * exact lines are checked, as above.
 */
const parseIniOnce = {
  name: 'parse-ini-once',
  setup(b) {
    b.onLoad({ filter: /@smithy[\\/]core[\\/]dist-es[\\/]submodules[\\/]config[\\/]shared-ini-file-loader[\\/]loadSharedConfigFiles\.js$/ }, (args) => {
      let text = readFileSync(args.path, 'utf8');
      for (const [from, count] of [['.then(parseIni)', 2], ['.then(getConfigData)', 1]]) {
        if (text.split(from).length !== count + 1) throw new Error(`${args.path}: expected "${from}" ${count} time(s) (the SDK changed how it reads the shared config files)`);
      }
      text = text.replaceAll('.then(parseIni)', '.then((iniData) => parseIniOnce(iniData, init))').replace('.then(getConfigData)', '.then(getConfigDataOnce)');
      text =
        `import { sdkProfileName, sectionsTheSdkReads } from ${JSON.stringify(join(process.cwd(), 'src/credentials/sdk/shared-config-sections.ts'))};\n` +
        text +
        '\nconst parsedIni = new Map();\n' +
        'const configData = new WeakMap();\n' +
        'const frozen = (sections) => {\n' +
        '  for (const key of Object.keys(sections)) Object.freeze(sections[key]);\n' +
        '  return Object.freeze(sections);\n' +
        '};\n' +
        'function parseIniOnce(iniData, init) {\n' +
        '  const profile = sdkProfileName(init);\n' +
        '  let byText = parsedIni.get(profile);\n' +
        '  if (byText === undefined) parsedIni.set(profile, (byText = new Map()));\n' +
        '  let parsed = byText.get(iniData);\n' +
        '  if (parsed === undefined) byText.set(iniData, (parsed = frozen(parseIni(sectionsTheSdkReads(iniData, profile)))));\n' +
        '  return parsed;\n' +
        '}\n' +
        'function getConfigDataOnce(parsed) {\n' +
        '  let data = configData.get(parsed);\n' +
        '  if (data === undefined) configData.set(parsed, (data = Object.freeze(getConfigData(parsed))));\n' +
        '  return data;\n' +
        '}\n';
      return { contents: text, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

/**
 * The SDK's readers of the shared config files import node:fs/promises, which brings Node's
 * readline, directory and file-watching modules with it: about 1.5 ms of a cache miss, for one
 * readFile. In dist/aws-sdk.cjs that import is this module, the same readFile on fs's callback.
 * A name the SDK takes from node:fs/promises and this module lacks stops the build (esbuild:
 * no matching export).
 */
const fsPromisesReadFile = {
  name: 'fs-promises-readfile',
  setup(b) {
    b.onResolve({ filter: /^(node:)?fs\/promises$/ }, () => ({ path: 'fs-promises', namespace: 'awsguard-shim' }));
    b.onLoad({ filter: /^fs-promises$/, namespace: 'awsguard-shim' }, () => ({
      contents:
        "import { readFile as readFileWithCallback } from 'node:fs';\n" +
        'export const readFile = (path, options) => new Promise((resolve, reject) => readFileWithCallback(path, options, (err, data) => (err ? reject(err) : resolve(data))));\n' +
        'export default { readFile };\n',
      loader: 'js',
    }));
  },
};

/**
 * Two SDK modules load a part of Node at start-up for something awsguard's calls never or
 * seldom need: the CRC32 checksum (of event streams and S3 uploads) loads node:zlib to see
 * whether it has crc32, and the request id asks for the global web crypto (Node's webcrypto
 * module) where node:crypto, loaded anyway, has the same randomUUID. About 2.5 ms of a cache
 * miss together. Here the first looks when a checksum is first made, and the second takes
 * randomUUID from node:crypto. The exact text is checked, as above.
 */
const SDK_REWRITES = [
  {
    file: /@smithy[\\/]core[\\/]dist-es[\\/]submodules[\\/]checksum[\\/]crc32[\\/]Crc32Node\.js$/,
    from: 'import * as zlib from "node:zlib";\nimport { Crc32Js } from "./Crc32Js";\nconst zlibCrc32 = typeof zlib.crc32 === "function" ? zlib.crc32 : undefined;\nexport const Crc32Node = zlibCrc32 ? buildNativeClass(zlibCrc32) : Crc32Js;\n',
    to:
      'import { Crc32Js } from "./Crc32Js";\n' +
      'let Chosen;\n' +
      'const choose = () => {\n' +
      '  if (Chosen === undefined) {\n' +
      '    const zlibCrc32 = require("node:zlib").crc32;\n' +
      '    Chosen = typeof zlibCrc32 === "function" ? buildNativeClass(zlibCrc32) : Crc32Js;\n' +
      '  }\n' +
      '  return Chosen;\n' +
      '};\n' +
      'export class Crc32Node {\n' +
      '  constructor() {\n' +
      '    return new (choose())();\n' +
      '  }\n' +
      '}\n',
  },
  {
    file: /@smithy[\\/]core[\\/]dist-es[\\/]submodules[\\/]serde[\\/]uuid[\\/]v4\.js$/,
    from: '    if (typeof crypto !== "undefined" && typeof crypto.randomUUID === "function") {\n        return () => crypto.randomUUID();\n    }\n',
    to: '    if (typeof randomUUID === "function") {\n        return () => randomUUID();\n    }\n',
    prefix: 'import { randomUUID } from "node:crypto";\n',
  },
];
const sdkRewrites = {
  name: 'sdk-rewrites',
  setup(b) {
    for (const rewrite of SDK_REWRITES) {
      b.onLoad({ filter: rewrite.file }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (text.split(rewrite.from).length !== 2) throw new Error(`${args.path}: expected this text once (the SDK changed): ${rewrite.from}`);
        return { contents: (rewrite.prefix ?? '') + text.replace(rewrite.from, rewrite.to), loader: 'js', resolveDir: dirname(args.path) };
      });
    }
  },
};

/** The SDK is not in the command bundles: they import it, and the loader hands them dist/aws-sdk.cjs. */
const externalSdk = {
  name: 'external-sdk',
  setup(b) {
    b.onResolve({ filter: /^@(aws-sdk|smithy)\// }, (args) => ({ path: args.path, external: true }));
    // src/credentials/sdk/client-*.ts, the parts of a client awsguard uses, by the client's name.
    b.onResolve({ filter: /(^|\/)sdk\/client-[a-z-]+\.js$/ }, (args) => {
      const file = join(args.resolveDir, args.path).replace(/\.js$/, '.ts');
      const m = SDK_PARTS.exec(file);
      return m ? { path: `@aws-sdk/${m[1]}`, external: true } : undefined;
    });
  },
};

/**
 * The Ink component is its own file: Ink and React are most of its size, and only the picker
 * loads it, after `pick` (in the main bundle) has drawn the first frame without them.
 */
const pickerApart = {
  name: 'picker-apart',
  setup(b) {
    // Imported by src/commands/pick.ts; the bundle lands beside dist/main.cjs as dist/pick.js.
    b.onResolve({ filter: /^\.\.\/tui\/run-picker\.js$/ }, (args) => (/src\/commands\/pick\.ts$/.test(args.importer) ? { path: './pick.js', external: true } : undefined));
  },
};

/**
 * The commands people run all day, many times an hour, have a bundle of their own: dist/hot.cjs,
 * the same entry with every other command's code left out, three fifths of dist/main.cjs.
 * Reading and deserialising the bundle is proportional to its size and was a sixth of exec's
 * start-up. The loader (scripts/loader.cjs, which gets this list at build time) sends these
 * commands to dist/hot.cjs and every other word to dist/main.cjs, so the two never meet in one process.
 */
const HOT_COMMANDS = ['exec', 'export', 'whoami'];
const otherCommandsOut = {
  name: 'other-commands-out',
  setup(b) {
    // The command table's lazy imports in src/cli.ts; what the hot commands import themselves stays.
    b.onResolve({ filter: /^\.\/commands\/[a-z-]+\.js$/ }, (args) => {
      const name = /([a-z-]+)\.js$/.exec(args.path)[1];
      if (args.kind !== 'dynamic-import' || !/src[\\/]cli\.ts$/.test(args.importer) || HOT_COMMANDS.includes(name)) return undefined;
      return { path: name, namespace: 'not-in-hot' };
    });
    // Unreachable while the loader routes by HOT_COMMANDS; a mistake there is an internal error, not a wrong command.
    b.onLoad({ filter: /.*/, namespace: 'not-in-hot' }, (args) => ({
      contents: `export async function run() { throw new Error(${JSON.stringify(`the ${args.path} command is not in dist/hot.cjs (the loader should have run dist/main.cjs)`)}); }`,
      loader: 'js',
    }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outdir: out,
  jsx: 'automatic',
  sourcemap: 'linked',
  // AWSGUARD_BUILD tells kept answers (src/commands/profiles-cache.ts) of one build from another's.
  define: { AWSGUARD_VERSION: JSON.stringify(pkg.version), AWSGUARD_BUILD: JSON.stringify(Date.now().toString(36)), 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
};
// Bundled CommonJS (React, ini) calls require() for Node built-ins; ES modules have none.
const requireShim = "import { createRequire as __awsguardRequire } from 'node:module'; const require = __awsguardRequire(import.meta.url);";

// One file for every command but the picker, and CommonJS: Node's ES module loader costs about
// 20 ms at start-up that require() does not, on the command people run all day. The picker and
// the AWS SDK, loaded later with import(), stay ES modules. dist/awsguard.cjs (scripts/loader.cjs)
// runs it from V8's code cache.
const commandBundle = {
  ...common,
  format: 'cjs',
  // Without the spaces, comments and long forms: every command reads its bundle, copies it into
  // a string and hands V8 that text. Names are kept, for stack traces. (Minified the same way,
  // dist/aws-sdk.cjs made a cache miss slower, 176 -> 183 ms: it stays as esbuild writes it.)
  minifyWhitespace: true,
  minifySyntax: true,
  outExtension: { '.js': '.cjs' },
  // A getter: made at start-up, the URL was half a millisecond of every command, and few paths ask for it.
  define: { ...common.define, 'import.meta.url': '__awsguardMeta.url' },
  banner: { js: "const __awsguardMeta = { get url() { return require('node:url').pathToFileURL(__filename).href; } };" },
};
await build({ ...commandBundle, entryPoints: { main: 'src/main.ts' }, plugins: [stubDevtools, externalSdk, pickerApart] });
await build({ ...commandBundle, entryPoints: { hot: 'src/main.ts' }, plugins: [stubDevtools, externalSdk, pickerApart, otherCommandsOut] });
// The AWS SDK in a file of its own (scripts/aws-sdk.cjs says why), which only a cache miss loads.
await build({
  ...common,
  format: 'cjs',
  entryPoints: { 'aws-sdk': 'scripts/aws-sdk.cjs' },
  outExtension: { '.js': '.cjs' },
  sourcemap: false,
  // The SDK's optional native signer, which it looks for and does without.
  external: ['@aws-sdk/signature-v4-crt'],
  // The SDK's ES modules, which esbuild can leave out what is not used of (its CommonJS is one file per package).
  mainFields: ['module', 'main'],
  plugins: [sdkParts, parseIniOnce, fsPromisesReadFile, sdkRewrites],
});
checkNoHttp2(join(out, 'aws-sdk.cjs'));
routeDynamicImports(join(out, 'aws-sdk.cjs'));
routeDynamicImports(join(out, 'main.cjs'));
routeDynamicImports(join(out, 'hot.cjs'));
writeLoader(join(out, 'awsguard.cjs'));
chmodSync(join(out, 'awsguard.cjs'), 0o755);
await makeCodeCache();
await makeSdkCodeCache();
await build({
  ...common,
  entryPoints: { pick: 'src/tui/run-picker.tsx' },
  plugins: [stubDevtools, externalSdk, yogaBytes, inkFaster],
  banner: { js: requireShim },
});
replaceDist();

/**
 * The new files into dist/, each by a rename, which replaces a file in one step: at no moment
 * is a file of dist/ missing or half-written, even for a command that reads dist/pick.js long
 * after it started. The picker's chunk first and the entry last, so a command starting in
 * between finds what it loads. Builds take turns (a lock directory), so two at once never
 * leave a mix of both behind; a lock older than a minute is a build that died holding it.
 */
function replaceDist() {
  const lock = 'dist.lock';
  for (const until = Date.now() + 60_000; ; ) {
    try {
      mkdirSync(lock);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })?.mtimeMs > 60_000 || Date.now() > until) rmSync(lock, { recursive: true, force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
  try {
    mkdirSync('dist', { recursive: true });
    const order = (name) => (name.startsWith('pick.') ? 0 : name === 'awsguard.cjs' ? 3 : name === 'main.cjs' || name === 'hot.cjs' ? 2 : 1);
    const files = readdirSync(out).sort((a, b) => order(a) - order(b) || a.localeCompare(b));
    for (const name of files) renameSync(join(out, name), join('dist', name));
    for (const name of readdirSync('dist')) if (!files.includes(name)) rmSync(join('dist', name), { recursive: true, force: true });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** scripts/loader.cjs with the list of commands dist/hot.cjs has. */
function writeLoader(path) {
  const text = readFileSync('scripts/loader.cjs', 'utf8');
  const marker = 'const HOT_COMMANDS = [];';
  if (!text.includes(marker)) throw new Error(`scripts/loader.cjs: no "${marker}" to fill in`);
  writeFileSync(path, text.replace(marker, `const HOT_COMMANDS = ${JSON.stringify(HOT_COMMANDS)};`));
}

/**
 * The loader runs the bundle as a vm script, where import() needs a flag on Node 20: each
 * import() of what stays outside the bundle (Node built-ins, the SDK, the picker) goes through
 * the loader's own. Anything else left behind would fail only when reached, so it fails here.
 */
function routeDynamicImports(path) {
  const text = readFileSync(path, 'utf8').replace(/\bimport\((?=["'](?:node:|@aws-sdk\/|@smithy\/|\.\/pick\.js["']))/g, '__awsguardImport(');
  const left = /\bimport\(/.exec(text);
  if (left) throw new Error(`${path}: an import() the loader does not route, near: ${text.slice(left.index, left.index + 60)}`);
  // The loader takes every SDK module from dist/aws-sdk.cjs: each must be one it bundles.
  const bundled = Object.keys(createRequire(import.meta.url)('./aws-sdk.cjs'));
  for (const [, specifier] of text.matchAll(/__awsguardImport\(["'](@(?:aws-sdk|smithy)\/[^"']+)["']\)/g)) {
    if (!bundled.includes(specifier)) throw new Error(`${path}: imports ${specifier}, which scripts/aws-sdk.cjs does not bundle`);
  }
  writeFileSync(path, text);
}

/**
 * V8's code cache for dist/aws-sdk.cjs, compiled with the loader's wrapper (the cache is for
 * that exact text) and made after every module is loaded, each client made once, and the calls
 * of a cache miss sent to canned STS, IAM and SSO answers on loopback (cannedAws): what a cache
 * miss runs is then cached compiled, from making the client to reading the answer. Compiling
 * the sending half lazily was a tenth of a cache miss. Nothing leaves the machine.
 */
async function makeSdkCodeCache() {
  const file = join(out, 'aws-sdk.cjs');
  const wrapper = '(function (exports, require, module, __filename, __dirname, __awsguardImport) {' + readFileSync(file, 'utf8') + '\n})';
  const script = new Script(wrapper, { filename: join(process.cwd(), file) });
  const mod = { exports: {} };
  const require = createRequire(join(process.cwd(), file));
  script.runInThisContext()(mod.exports, require, mod, join(process.cwd(), file), join(process.cwd(), out), (specifier) => import(specifier));
  const had = process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const aws = await cannedAws();
  try {
    const sdk = Object.fromEntries(Object.entries(mod.exports).map(([specifier, load]) => [specifier, load()]));
    const http = await import('node:http');
    const https = await import('node:https');
    // As src/credentials/aws-clients.ts makes them.
    const config = () => ({
      region: 'us-east-1',
      endpoint: aws.url,
      credentials: { accessKeyId: 'AKIAIOSFODNN7BUILD00', secretAccessKey: 'build/secret/not/a/real/key/0000000000' },
      retryStrategy: new sdk['@smithy/core/retry'].StandardRetryStrategy({ maxAttempts: 3 }),
      requestHandler: { httpAgent: new http.Agent({ keepAlive: false }), httpsAgent: new https.Agent({ keepAlive: false }), connectionTimeout: 5000, requestTimeout: 5000, throwOnRequestTimeout: true },
    });
    const sts = sdk['@aws-sdk/client-sts'];
    const iam = sdk['@aws-sdk/client-iam'];
    const sso = sdk['@aws-sdk/client-sso'];
    const oidc = sdk['@aws-sdk/client-sso-oidc'];
    const calls = [
      [new sts.STSClient(config()), [new sts.GetSessionTokenCommand({ DurationSeconds: 3600 }), new sts.AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/build', RoleSessionName: 'build' }), new sts.GetCallerIdentityCommand({})]],
      [new iam.IAMClient(config()), [new iam.ListAccountAliasesCommand({})]],
      [new sso.SSOClient({ ...config(), credentials: async () => ({ accessKeyId: '', secretAccessKey: '' }) }), [new sso.GetRoleCredentialsCommand({ accessToken: 'build-token', accountId: '000000000000', roleName: 'build' })]],
      [new oidc.SSOOIDCClient({ ...config(), credentials: async () => ({ accessKeyId: '', secretAccessKey: '' }) }), []],
    ];
    for (const [client, commands] of calls) {
      for (const command of commands) await client.send(command);
      client.destroy();
    }
    const expected = { GetSessionToken: 1, AssumeRole: 1, GetCallerIdentity: 1, ListAccountAliases: 1, GetRoleCredentials: 1 };
    if (JSON.stringify(aws.calls) !== JSON.stringify(expected)) throw new Error(`SDK code cache: canned AWS saw ${JSON.stringify(aws.calls)}, not ${JSON.stringify(expected)}`);
  } finally {
    aws.close();
    if (had === undefined) delete process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    else process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = had;
  }
  writeFileSync(file + '.v8cache', script.createCachedData());
}

/**
 * V8's code cache for the bundle, made in one process that runs, on a throw-away home, the
 * commands people run all day: `exec` and `export` on a cache hit, and `profiles --json` on the
 * demo config. Functions a command runs are cached compiled; others are only parsed, and
 * compiling them lazily at every start was a tenth of exec's start-up. The cache hit needs a
 * session made first: a process before it gets one from canned STS and IAM answers on loopback
 * (cannedAws), so nothing leaves the machine.
 */
async function makeCodeCache() {
  const home = mkdtempSync(join(tmpdir(), 'awsguard-build-'));
  const aws = await cannedAws();
  try {
    const cacheFile = join(process.cwd(), out, 'main.cjs.v8cache');
    mkdirSync(join(home, 'aws'));
    const config = join(home, 'aws', 'config');
    writeFileSync(config, '[profile build]\nregion = us-east-1\n', { mode: 0o600 });
    // Long-term keys, as many people have them: exec trades them for a session token.
    writeFileSync(join(home, 'aws', 'credentials'), '[build]\naws_access_key_id = AKIAIOSFODNN7BUILD00\naws_secret_access_key = build/secret/not/a/real/key/0000000000\n', { mode: 0o600 });
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_CACHE_HOME: join(home, 'cache'),
      XDG_STATE_HOME: join(home, 'state'),
      AWS_CONFIG_FILE: config,
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'aws', 'credentials'),
      AWS_ENDPOINT_URL: aws.url,
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const child = [join(out, 'awsguard.cjs')];
    const exec = ['exec', '-p', 'build', '--', process.execPath, '-e', ''];
    // Asynchronously: the canned AWS answers from this process.
    await run(child.concat(exec), env);
    const warmup = [exec, ['export', '-p', 'build', '--format', 'json']].map((argv) => ({ argv, env: {} }));
    // profiles last, on the demo config: its chains, SSO sessions and settings are what the reader is cached for.
    const demo = { AWS_CONFIG_FILE: 'fixtures/demo/config', AWS_SHARED_CREDENTIALS_FILE: 'fixtures/demo/credentials' };
    await run(child.concat(['profiles', '--json']), { ...env, ...demo, AWSGUARD_BUILD_CODE_CACHE: cacheFile, AWSGUARD_BUILD_WARMUP: JSON.stringify(warmup.map((w) => ({ ...w, env: { AWS_CONFIG_FILE: env.AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE: env.AWS_SHARED_CREDENTIALS_FILE } }))) });
    // dist/hot.cjs: export on a cache hit, after exec in the same process.
    await run(child.concat(['export', '-p', 'build', '--format', 'json']), { ...env, AWSGUARD_BUILD_CODE_CACHE: join(process.cwd(), out, 'hot.cjs.v8cache'), AWSGUARD_BUILD_WARMUP: JSON.stringify([{ argv: exec, env: {} }]) });
    if (aws.calls.GetSessionToken !== 1) throw new Error(`code cache: the cache-hit run asked STS again (${JSON.stringify(aws.calls)})`);
  } finally {
    aws.close();
    rmSync(home, { recursive: true, force: true });
  }
}

/** Runs node with args and env, output discarded; rejects unless it exits 0. */
function run(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`code cache: awsguard ${args.slice(1).join(' ')} exited ${code}: ${err}`))));
  });
}

/**
 * The answers the build's warm-up runs need (STS and IAM in the query protocol's XML, the SSO
 * portal's role credentials in JSON), on loopback. Not a fake of AWS (that is
 * test/support/fake-aws, which checks signatures): canned replies.
 */
async function cannedAws() {
  const calls = {};
  const expires = new Date(Date.now() + 3600_000).toISOString();
  const results = {
    GetSessionToken: `<Credentials><AccessKeyId>ASIAIOSFODNN7BUILD00</AccessKeyId><SecretAccessKey>build/session/secret/0000000000000000000</SecretAccessKey><SessionToken>build-session-token</SessionToken><Expiration>${expires}</Expiration></Credentials>`,
    GetCallerIdentity: '<Arn>arn:aws:iam::000000000000:user/build</Arn><UserId>AIDAIOSFODNN7BUILD00</UserId><Account>000000000000</Account>',
    ListAccountAliases: '<AccountAliases><member>awsguard-build</member></AccountAliases><IsTruncated>false</IsTruncated>',
    AssumeRole: `<Credentials><AccessKeyId>ASIAIOSFODNN7BUILD01</AccessKeyId><SecretAccessKey>build/role/secret/000000000000000000000</SecretAccessKey><SessionToken>build-role-token</SessionToken><Expiration>${expires}</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROAIOSFODNN7BUILD00:build</AssumedRoleId><Arn>arn:aws:sts::000000000000:assumed-role/build/build</Arn></AssumedRoleUser>`,
  };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      // The SSO portal's GetRoleCredentials: a GET with the token in a header, answered in JSON.
      if (req.method === 'GET' && req.url?.startsWith('/federation/credentials')) {
        calls.GetRoleCredentials = (calls.GetRoleCredentials ?? 0) + 1;
        const roleCredentials = { accessKeyId: 'ASIAIOSFODNN7BUILD02', secretAccessKey: 'build/sso/secret/0000000000000000000000', sessionToken: 'build-sso-token', expiration: Date.parse(expires) };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ roleCredentials }));
        return;
      }
      const action = new URLSearchParams(body).get('Action') ?? '';
      calls[action] = (calls[action] ?? 0) + 1;
      const ns = action === 'ListAccountAliases' ? 'https://iam.amazonaws.com/doc/2010-05-08/' : 'https://sts.amazonaws.com/doc/2011-06-15/';
      if (!results[action]) {
        res.writeHead(400, { 'content-type': 'text/xml' }).end(`<ErrorResponse xmlns="${ns}"><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>not canned: ${action}</Message></Error><RequestId>build</RequestId></ErrorResponse>`);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/xml' }).end(`<${action}Response xmlns="${ns}"><${action}Result>${results[action]}</${action}Result><ResponseMetadata><RequestId>build</RequestId></ResponseMetadata></${action}Response>`);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, calls, close: () => server.close() };
}
