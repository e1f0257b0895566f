/**
 * nsad — the public API of the package (`import … from 'nsad'`).
 *
 * Everything a research script needs, grouped by layer (docs/library.md "Layering"): exact
 * numbers, networks, nonsmooth AD, CNF formulas, the SAT → network reduction, the conservative
 * and Clarke sides, certificates and their independent verifier, MILP backends, and the
 * experiment runner. Deep imports into `dist/` are not part of this interface.
 *
 * The mathematics behind every function is in docs/theory.md (sections cited as §N).
 *
 * @packageDocumentation
 */

// ── Exact numbers, randomness, errors ────────────────────────────────────────────────────────
export { Rational, ZERO, ONE, MINUS_ONE, dot, vecEq, parseVector, readNumeral, NUMERAL_LIMITS, type NumeralError } from './exact/rational';
export { rref, type Rref } from './exact/matrix';
export { Rng, fmix32, mixSeed, seededRng } from './exact/rng';
export { median } from './exact/stats';
export { UserError, TimeLimitReached } from './errors';
export { writeFileAtomic, writeJsonAtomic, checkOutputs, type OutputSpec } from './io/atomic';
export { MAX_JSON_DEPTH } from './io/json-exact';

// ── Networks: type, file format, evaluation (docs/formats.md) ────────────────────────────────
export { Network, NetLayer, LIMITS, networkOf, layerOf, requireTernary, type Layer } from './network/network';
export {
  NETWORK_FORMAT,
  NETWORK_VERSION,
  networkFromJson,
  parseNetwork,
  readNetworkFile,
  networkToJson,
  serializeNetwork,
  writeNetworkFile,
  type LayoutOption,
} from './network/format';
export { evaluateExact, checkPoint, type ExactForward } from './network/evaluate';
export {
  compileFloat,
  FloatEngine,
  evaluateFloat,
  evaluateFloatChecked,
  activationPattern,
  type FloatNet,
  type FloatLayer,
  type FloatArray,
  type KernelOptions,
  type CheckedFloat,
  type Precision,
} from './network/float';
export { floatExactness, FLOAT_EXACT_LIMIT, type FloatExactness } from './network/float-bound';
export { evaluateDag, type ReluDag, type LinExpr } from './network/dag';
export { randomNetwork, type RandomNetworkOptions } from './network/random';

// ── Nonsmooth automatic differentiation (docs/theory.md §1, §2, §7) ──────────────────────────
export { backward, backwardWithDiagonals, type BackwardResult } from './ad/backward';
export { pieceGradient, type PieceGradient } from './ad/piece';
export { directionalDerivative, directionalDerivatives, type DirectionalResult, type DirectionalsResult } from './ad/forward';
export { lexicographicSubgradient, type LexicographicResult } from './ad/lexicographic';
export { PYTORCH, constantPolicy, parseReluPrime, type ReluPrime } from './ad/relu-prime';
export {
  Tape,
  evaluateTape,
  backpropTape,
  directionalTape,
  directionalsTape,
  lexicographicTape,
  networkToTape,
  type TapeBackpropResult,
  type TapeNode,
  type TapeOpKind,
} from './ad/tape';
export { networkForwardOps, networkBackpropOps, networkTangentOps, opRatio, type OpCounts } from './ad/ops';

// ── CNF formulas: DIMACS, generators, reference SAT solver, bundled instances ────────────────
export { makeCnf, satisfies, type Cnf } from './cnf/cnf';
export { parseDimacs, readCnfFile, writeDimacs, type DimacsOptions } from './cnf/dimacs';
export { solveSat, SAT_CAPACITY, satMemoryEstimate, beyondSatCapacity, type SatResult, type SatOptions } from './cnf/sat';
export { randomKSat, clausesForRatio, type RandomKSatParams } from './cnf/generators/random-ksat';
export { planted, type PlantedParams } from './cnf/generators/planted';
export { php, type PhpVariant } from './cnf/generators/php';
export { generatorRng } from './cnf/seed';
export { generateBatch, writeBatch, type FamilySpec, type BatchOptions, type GeneratedFile } from './cnf/generate';
export { satlibDir, satlibFiles, satlibStatus, SATLIB_FAMILIES, type SatlibFamily } from './cnf/satlib';
export { loadInstances, instancesDir, generateSuite, SMALL_SUITE_DIR, type SuiteInstance, type SuiteGroup } from './cnf/suite';
export { tseitin, tseitinSatisfiable, randomCharge } from './cnf/generators/tseitin';
export { coloring } from './cnf/generators/coloring';
export { randomKXor, type KXorParams } from './cnf/generators/kxor';
export { ordering } from './cnf/generators/ordering';
export { gnp, randomRegular, type Graph } from './cnf/generators/graph';
export { checkGenerationLimits, GENERATION_LIMITS } from './cnf/generate';
export type { DiffersOracle } from './conservative/witness';
export { readManifest, type Manifest, type ManifestEntry, type CnfFamily, type KnownStatus } from './cnf/manifest';

// ── The reduction 3-SAT → ternary ReLU network (docs/theory.md §3, §4) ───────────────────────
export {
  reduceCnf,
  reduceFile,
  encodeAssignment,
  decodePoint,
  violatedClauses,
  networkSize,
  CONSTRUCTION,
  type NetworkSize,
} from '../reductions/sat-to-relu';
export { artifactByName, relu2Tape, zeroTape, reluCarryNetwork, carryNetwork, ARTIFACT_NAMES, type Artifact } from '../reductions/artifacts';
export { decideIdenticallyZero, type ZeroTestResult, type ZeroTestOptions } from '../reductions/zero-test';
export { decideCnf, assignmentFromCertificate, type CnfAnswer, type DecideCnfOptions } from '../reductions/decide-cnf';
// Network families with known answers and suites (docs/formats.md "Suites").
export { generateNet, netCommand, NET_FAMILIES, NET_GENERATION_LIMITS, type NetFamily, type NetFamilySpec, type NetInstance, type Expected } from '../reductions/families/index';
export { certifyInstance, type Evidence, type EvidenceOptions } from '../reductions/families/evidence';
export { writeSuite, readSuite, addNetInstances, presetItems, instancesCsv, PRESETS, SUITE_FORMAT, SUITE_SEED, type Preset, type SuiteItem, type SuiteEntry, type SuiteEvidence, type SuiteManifest, type SuiteWriteOptions } from '../reductions/families/suite';

// ── Conservative side (docs/theory.md §5) and one cheap Clarke subgradient (§2, claim 5) ─────
export {
  decideConservative,
  clarkeOne,
  reachability,
  pathFrom,
  pathElement,
  greedyWitness,
  choicesOf,
  spanIdentity,
  szDiffers,
  szErrorBound,
  patternAt,
  phi,
  type ConservativeAnswer,
  type ConservativeOptions,
  type ConservativeMethod,
  type ClarkeOneResult,
  type SpanResult,
  type DiagPattern,
} from './conservative/index';
export type { PatternAt } from './conservative/pattern';
export type { Reachability } from './conservative/reachability';
export type { SzOptions } from './conservative/schwartz-zippel';

// ── Clarke side: localization and the decision (docs/theory.md §6) ───────────────────────────
export { decideClarke, DEFAULT_CLARKE_SOLVER, SINGLETON_TOLERANCE, type ClarkeAnswer, type ClarkeAnswerKind, type ClarkeSolver, type DecideOptions, type SolveLog, type BabSummary } from './clarke/decide';
export { babDecide, type BabOptions, type BabResult, type BabStats, type BabProgress, type BabStrategy, type ProofStyle } from './clarke/bab/index';
export { babDecideAsync, type ParallelOptions } from './clarke/bab/parallel';
export { localize, tangentPass, type Localized, type TangentPass } from './clarke/localize';
// The whole Clarke set at a point and exact membership (docs/theory.md §9).
export { clarkeSet, clarkeContains, DEFAULT_MAX_PIECES, type ClarkeSet, type ClarkeSetOptions, type SetGradient, type Membership, type MembershipAnswer, type MembershipOptions, tiedForms, type TiedForms } from './clarke/set/index';
// Pictures of a point: exact regions on a 2-D slice, the Clarke set, backprop's vectors (docs/explore.md).
export { explore, exploreHtml, exploreSvg, sliceRegions, DEFAULT_MAX_REGIONS, type Exploration, type ExploreOptions, type BackpropPoint, type Slice, type SliceOptions, type SliceRegion, type Point } from './explore/index';
export { writeSetCertificateFile, serializeSetCertificate, SET_FORMAT, MEMBERSHIP_FORMAT, SET_VERSION, type ClarkeSetJson, type MembershipJson, type J as SetJsonNumber, type HullJson, type TreeNodeJson, type SparseJson } from './certificate/clarke-set';
export { presolve, type Presolved, type PresolveStats, type PresolveOptions } from './clarke/presolve';

// ── Certificates and the independent verifier (docs/theory.md §6, docs/formats.md) ───────────
export {
  CERTIFICATE_FORMAT,
  CERTIFICATE_VERSION,
  certificateToJson,
  serializeCertificate,
  writeCertificateFile,
  type ClarkeCertificate,
  type ClarkeCertificateJson,
} from './certificate/certificate';
export { verifyCertificate, verifyPiece, type VerifyResult } from './verify/index';
export { verifyProof, type ProofCheckResult } from './verify/proof';
export { verifySet, verifyMembership, type SetCheck, type MembershipCheck } from './verify/set';
export { PROOF_FORMAT, PROOF_VERSION, ProofFileWriter, readProofLines, type ProofSink, type ProofHeader, type ProofSign } from './certificate/proof';

// ── Trained models: exact import, export, audit (docs/audit.md) ──────────────────────────────
export { importModelFile, importModelBytes, detectFormat, type ModelFormat } from './formats/import-model';
export { importOnnx, exportOnnx, exportDtype, OPSET_MIN, OPSET_MAX, SUPPORTED_OPS, MAX_COMPOSE_PRODUCTS, type ImportOptions, type ExportOptions, type OnnxImportMeta } from './formats/onnx';
export { importSafetensors, exportSafetensors, type SafetensorsImportMeta } from './formats/safetensors';
export { parseNpy, npyRows, writeNpy, type NpyArray } from './formats/npy';
export { decodeBits, decodeFloats, encodeFloats, roundTo, exactFloat, type FloatDtype } from './formats/ieee';
export { auditNetwork, zeroNeurons, summarize, AUDIT_RELU_PRIMES, AUDIT_MAX_PIECES, type AuditReluPrime, type BackpropMembership, type ClarkeSetSummary, type AuditOptions, type AuditReport, type AuditSummary, type InputAudit, type LayerSummary, type ZeroNeuron, type SignDisagreement, type FloatResult, type Vanishes, type Verdict } from './audit/audit';
export { auditMarkdown, auditJson, auditSvg, auditFigureSpec } from './audit/report';
export { readInputRows, parseCsvRows, roundRows, type InputRows } from './audit/inputs';
export { roundNetwork, floatForward, type FloatPass, type RoundedNet } from './audit/float-pass';
export { IntNetwork, type IntForward } from './audit/exact-int';

// ── MILP: models, encodings, formats, backends ───────────────────────────────────────────────
export type { MilpModel, MilpVar, MilpConstraint, LinTerm, SolveOptions, SolveResult, SolveStatus, SolverName, MilpBackend } from './milp/model';
export { SOLVER_NAMES } from './milp/model';
export { getBackend, parseSolverName, raceSolve, shutdownWorkers, readModelText, DEFAULT_SOLVER } from './milp/backends/index';
export { encodeReluDag, type EncodedModel, type EncodingForm } from './milp/relu-encoding';
export { toLpFormat } from './milp/lp-format';
export { toMps } from './milp/mps-format';

// ── Experiments: the runner and the registry (docs/experiments.md) ───────────────────────────
export { suiteMethods, SAT_METHOD } from '../experiments/suite';
export { runSuite, type RunSuiteOptions, type SuiteRunOutcome } from '../experiments/run-suite';
export { runExperiment, runAll, mergeDirs, DEFAULT_SEED, type RunOptions, type RunOutcome, type AllOutcome, type MergeOutcome } from '../experiments/runner/run';
export type { Shard } from '../experiments/runner/shard';
export { loadExperiment, EXPERIMENT_NAMES, type ExperimentName } from '../experiments/runner/registry';
export type { Experiment, ExperimentOptions, Task, Row, Report, Claim, Holds, PlotSpec, Json } from '../experiments/runner/types';
