import { build } from 'esbuild';
const HOT = new Set(process.argv[2].split(','));
const r = await build({ bundle: true, platform: 'node', format: 'cjs', target: 'node20', entryPoints: ['src/main.ts'], write: false, outfile: '/tmp/ex/m.cjs', metafile: true, logLevel: 'silent', jsx: 'automatic',
  define: { AWSGUARD_VERSION: '"0"', AWSGUARD_BUILD: '"x"', 'process.env.NODE_ENV': '"production"', 'import.meta.url': '__u' },
  plugins: [{ name: 'x', setup(b) {
    b.onResolve({ filter: /^\.\/commands\/[a-z-]+\.js$/ }, (a) => { const n = a.path.match(/\/([a-z-]+)\.js$/)[1]; if (a.kind === 'dynamic-import' && a.importer.endsWith('src/cli.ts') && !HOT.has(n)) return { path: n, namespace: 'cold' }; });
    b.onLoad({ filter: /.*/, namespace: 'cold' }, (a) => ({ contents: `export async function run() { throw new Error('${a.path} is not in this bundle'); }`, loader: 'js' }));
    b.onResolve({ filter: /^@(aws-sdk|smithy)\// }, (a) => ({ path: a.path, external: true })); b.onResolve({ filter: /^\.\.\/tui\/run-picker\.js$/ }, () => ({ path: './pick.js', external: true })); } }] });
const out = Object.values(r.metafile.outputs)[0];
const rows = Object.entries(out.inputs).map(([f, v]) => [f, v.bytesInOutput]).sort((a, b) => b[1] - a[1]);
console.log('total', out.bytes);
for (const [f, b] of rows.slice(0, +(process.argv[3] ?? 25))) console.log(String(b).padStart(8), f);
