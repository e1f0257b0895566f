/**
 * The layering of nsad (docs/library.md "Layering"), checked by `npm run lint:deps` in CI.
 *
 *   exact → network → formats, ad → cnf, milp → conservative, clarke, certificate → reductions → experiments → cli
 *   (formats: model file formats — ONNX, safetensors, npy, IEEE decoding — read into / written from networks)
 *   verify: independent (imports nothing from the toolkit; clarke may use it to check its own answers)
 *   explore: the picture of a point (src/explore), above clarke and ad, read only by the CLI and the index
 *
 * Each rule forbids a layer to import anything above it. Utilities `src/errors.ts` and `src/io/`
 * may be imported from anywhere (they import only `src/exact` and each other).
 */
const layer = (names) => `^(${names.join('|')})(/|\\.ts$)`;

const ABOVE_EXACT = ['src/network', 'src/formats', 'src/ad', 'src/cnf', 'src/milp', 'src/conservative', 'src/clarke', 'src/certificate', 'src/verify', 'src/audit', 'src/explore', 'src/cli', 'src/index', 'reductions', 'experiments'];
const ABOVE_NETWORK = ['src/formats', 'src/ad', 'src/cnf', 'src/milp', 'src/conservative', 'src/clarke', 'src/certificate', 'src/audit', 'src/explore', 'src/cli', 'src/index', 'reductions', 'experiments'];
const ABOVE_AD = ['src/cnf', 'src/milp', 'src/conservative', 'src/clarke', 'src/certificate', 'src/audit', 'src/explore', 'src/cli', 'src/index', 'reductions', 'experiments'];
const ABOVE_SOLVERS = ['src/conservative', 'src/clarke', 'src/certificate', 'src/audit', 'src/explore', 'src/cli', 'src/index', 'reductions', 'experiments'];
const ABOVE_CORE = ['src/cli', 'src/index', 'reductions', 'experiments'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'verify-is-independent',
      comment: 'src/verify checks certificates and proofs; sharing code with the decision procedure would share its bugs.',
      severity: 'error',
      from: { path: '^src/verify/' },
      to: { path: '^(src|reductions|experiments|bench|test|examples|scripts)/', pathNot: '^src/verify/' },
    },
    {
      name: 'exact-is-the-bottom',
      severity: 'error',
      from: { path: '^src/(exact|errors\\.ts|io)' },
      to: { path: layer(ABOVE_EXACT) },
    },
    {
      name: 'network-below-ad',
      severity: 'error',
      from: { path: '^src/network/' },
      to: { path: layer(ABOVE_NETWORK) },
    },
    {
      name: 'formats-below-ad',
      comment: 'Model file formats read into and write from networks; nothing but the audit, the CLI and the index reads them.',
      severity: 'error',
      from: { path: '^src/formats/' },
      to: { path: layer(['src/ad', 'src/cnf', 'src/milp', 'src/conservative', 'src/clarke', 'src/certificate', 'src/audit', 'src/cli', 'src/index', 'reductions', 'experiments']) },
    },
    {
      name: 'only-audit-cli-read-formats',
      comment: 'The mathematics (ad … reductions, experiments) never depends on how a model file is laid out.',
      severity: 'error',
      from: { path: '^(src/(ad|cnf|milp|conservative|clarke|certificate)/|reductions/|experiments/)' },
      to: { path: '^src/formats/' },
    },
    {
      name: 'ad-below-cnf-milp',
      severity: 'error',
      from: { path: '^src/ad/' },
      to: { path: layer(ABOVE_AD) },
    },
    {
      name: 'cnf-milp-below-decision',
      comment: 'cnf and milp are independent of each other and of the decision procedures.',
      severity: 'error',
      from: { path: '^src/(cnf|milp)/' },
      to: { path: layer(ABOVE_SOLVERS) },
    },
    {
      name: 'cnf-milp-independent',
      severity: 'error',
      from: { path: '^src/cnf/' },
      to: { path: '^src/milp/' },
    },
    {
      name: 'milp-cnf-independent',
      severity: 'error',
      from: { path: '^src/milp/' },
      to: { path: '^src/cnf/' },
    },
    {
      name: 'only-cli-index-read-explore',
      comment: 'The picture (src/explore) draws what the mathematics computes; nothing in the mathematics depends on it.',
      severity: 'error',
      from: { path: '^(src/|reductions/|experiments/)', pathNot: '^src/(cli/|index\\.ts$|explore/)' },
      to: { path: '^src/explore/' },
    },
    {
      name: 'src-below-reductions',
      comment: 'Only src/cli and src/index.ts may import reductions/ or experiments/.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(cli/|index\\.ts$)' },
      to: { path: layer(ABOVE_CORE) },
    },
    {
      name: 'reductions-below-experiments',
      severity: 'error',
      from: { path: '^reductions/' },
      to: { path: '^(experiments/|src/cli/|src/index\\.ts$)' },
    },
    {
      name: 'experiments-below-cli',
      severity: 'error',
      from: { path: '^experiments/' },
      to: { path: '^(src/cli/|src/index\\.ts$)' },
    },
    {
      name: 'leaves-are-not-imported',
      comment: 'bench, test, examples and scripts use the code; the code never uses them.',
      severity: 'error',
      from: { path: '^(src|reductions|experiments)/' },
      to: { path: '^(bench|test|examples|scripts)/' },
    },
    {
      name: 'examples-use-the-package',
      comment: 'examples/ import only from the package name, as a user would.',
      severity: 'error',
      from: { path: '^examples/' },
      to: { path: '^(src|reductions|experiments|bench|test|scripts)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: "'nsad' (the examples' import) resolves to dist/ only after a build.",
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: '^nsad$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|results)/' },
    // TypeScript 7 has no JavaScript compiler API, which dependency-cruiser would use to read .ts:
    // swc parses instead. Type-only imports count as dependencies too (tsPreCompilationDeps).
    parser: 'swc',
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      extensions: ['.ts', '.mjs', '.cjs', '.js', '.json'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    moduleSystems: ['es6', 'cjs'],
  },
};
