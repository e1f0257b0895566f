// Worker-thread shim for the MILP backends (plain JavaScript on purpose: a worker started from here
// needs no TypeScript loader, so it runs the same under vitest, tsx and ./bin/nsad.js).
//
// WHY a worker: both wasm solvers (HiGHS, GLPK) block their thread during `solve`, and
// javascript-lp-solver checks its timeout only between branch-and-bound nodes (docs/benchmarks.md#solvers).
// The parent keeps a watchdog timer and terminates this thread when a solver overruns its limit.
//
// Protocol: the parent posts {id, op, payload}; this thread answers {id, ok: true, value} or
// {id, ok: false, error}. Every op is a thin call into one solver; all model building and status
// interpretation lives in the TypeScript backends (src/milp/backends/*.ts).
import { parentPort } from 'node:worker_threads';

// Whatever a solver prints goes to stderr: stdout belongs to the CLI (`--json` prints exactly one
// object there). (Piping the worker's stdout to the parent instead would keep the parent's event
// loop alive even after the worker is unref'd.)
process.stdout.write = process.stderr.write.bind(process.stderr);
console.log = console.error;
console.info = console.error;
console.debug = console.error;

let highsRuntime = null;
let glpkRuntime = null;
let lpSolver = null;

async function getHighs() {
  if (highsRuntime === null) {
    const mod = await import('highs');
    const loader = mod.default ?? mod;
    highsRuntime = await loader();
  }
  return highsRuntime;
}

async function getGlpk() {
  if (glpkRuntime === null) {
    const mod = await import('glpk.js/node');
    glpkRuntime = await mod.default();
  }
  return glpkRuntime;
}

async function getLpSolver() {
  if (lpSolver === null) {
    const mod = await import('javascript-lp-solver');
    lpSolver = mod.default ?? mod;
  }
  return lpSolver;
}

function safeInfo(model, name) {
  try {
    const v = model.info.get(name);
    return typeof v === 'bigint' ? Number(v) : v;
  } catch {
    return null;
  }
}

/**
 * HiGHS, persistent API. payload: {model: ModelData | {format, data}, options: Record<string, value>}.
 * Returns the model status code, primal solution status, objective and column values (and names
 * when the model came from LP/MPS text, so a caller can map them).
 */
async function runHighs(payload) {
  const h = await getHighs();
  const t0 = performance.now();
  let source = payload.model;
  if (payload.senseName !== undefined) {
    const senses = h.constants.objectiveSense;
    source = { ...source, sense: payload.senseName === 'max' ? senses.maximize : senses.minimize };
  }
  const model = h.createModel(source);
  try {
    model.options.set(payload.options);
    model.run();
    const status = model.getModelStatus();
    const primalStatus = safeInfo(model, 'primal_solution_status');
    const sol = model.getSolution();
    const objective = model.getObjectiveValue();
    const out = {
      status,
      primalStatus,
      objective,
      colValue: sol.colValue,
      mipDualBound: safeInfo(model, 'mip_dual_bound'),
      mipGap: safeInfo(model, 'mip_gap'),
      nodes: safeInfo(model, 'mip_node_count'),
      timeMs: performance.now() - t0,
    };
    if (payload.withNames) {
      const dims = model.getDimensions();
      const names = [];
      for (let j = 0; j < dims.numCols; j++) names.push(model.getColName(j));
      out.colNames = names;
      const lp = model.getLp();
      out.sense = lp.sense;
      out.numRows = dims.numRows;
      out.integrality = Array.from(lp.integrality ?? []);
    }
    return out;
  } finally {
    model.dispose();
  }
}

/** GLPK: payload is a glpk.js LP object plus options (tmlim in seconds, msglev, mipgap, presol). */
async function runGlpk(payload) {
  const glpk = await getGlpk();
  const t0 = performance.now();
  const options = { ...payload.options, msglev: glpk.GLP_MSG_OFF };
  const res = glpk.solve(payload.lp, options);
  return {
    status: res.result.status,
    z: res.result.z,
    vars: res.result.vars,
    timeMs: performance.now() - t0,
  };
}

/** javascript-lp-solver: payload {model, precision}. Returns its simplified result object as is. */
async function runLpSolver(payload) {
  const solver = await getLpSolver();
  const t0 = performance.now();
  const res = solver.Solve(payload.model, payload.precision);
  return { result: res, timeMs: performance.now() - t0 };
}

/** Read LP/MPS text with HiGHS and return the model as arrays (row-wise) with its names. */
async function readHighs(payload) {
  const h = await getHighs();
  const model = h.createModel({ format: payload.format, data: payload.data });
  try {
    const lp = model.getLp('csr');
    const dims = model.getDimensions();
    const colNames = [];
    for (let j = 0; j < dims.numCols; j++) colNames.push(model.getColName(j));
    const rowNames = [];
    for (let i = 0; i < dims.numRows; i++) rowNames.push(model.getRowName(i));
    return {
      numCols: lp.numCols,
      numRows: lp.numRows,
      sense: lp.sense,
      offset: lp.offset,
      colCost: lp.colCost,
      colLower: lp.colLower,
      colUpper: lp.colUpper,
      rowLower: lp.rowLower,
      rowUpper: lp.rowUpper,
      starts: lp.matrix.starts,
      indices: lp.matrix.indices,
      values: lp.matrix.values,
      integrality: lp.integrality,
      colNames,
      rowNames,
    };
  } finally {
    model.dispose();
  }
}

async function handle(op, payload) {
  switch (op) {
    case 'ping':
      return 'pong';
    case 'load':
      // Load (and compile) a solver runtime before the clock of a solve starts.
      if (payload === 'highs') await getHighs();
      else if (payload === 'glpk') await getGlpk();
      else if (payload === 'lpsolver') await getLpSolver();
      else throw new Error(`unknown solver ${payload}`);
      return 'loaded';
    case 'highs':
      return runHighs(payload);
    case 'glpk':
      return runGlpk(payload);
    case 'highs-read':
      return readHighs(payload);
    case 'lpsolver':
      return runLpSolver(payload);
    case 'spin': {
      // Test hook: a synchronous busy loop, to check that the watchdog can stop a blocked thread.
      const end = Date.now() + payload.ms;
      let x = 0;
      while (Date.now() < end) x++;
      return x;
    }
    default:
      throw new Error(`unknown op ${op}`);
  }
}

parentPort.on('message', async (msg) => {
  try {
    const value = await handle(msg.op, msg.payload);
    parentPort.postMessage({ id: msg.id, ok: true, value });
  } catch (e) {
    // A wasm abort (e.g. HiGHS's LP reader on malformed text) leaves that runtime unusable:
    // drop it, so the next call in this thread loads a fresh one.
    if (e instanceof WebAssembly.RuntimeError || /Aborted/.test(String(e))) {
      if (msg.op === 'highs' || msg.op === 'highs-read') highsRuntime = null;
      if (msg.op === 'glpk') glpkRuntime = null;
    }
    parentPort.postMessage({ id: msg.id, ok: false, error: String(e && e.stack ? e.stack : e) });
  }
});
