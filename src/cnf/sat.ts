/**
 * The reference SAT solver: MiniSat 2.2 compiled to JavaScript (npm `logic-solver`, Meteor's
 * Emscripten build), behind one small synchronous function. It is the ground truth in tests (the
 * reduction of docs/theory.md §4 must answer "two" exactly on satisfiable formulas) and the "direct SAT"
 * baseline in experiments.
 *
 * Trust: a `sat` answer is checked against every clause before it is returned (a wrong model is a
 * bug and throws). An `unsat` answer rests on MiniSat; it comes with no proof. Tests cross-check it
 * by brute force on small formulas and against the SATLIB uuf* family.
 *
 * Time limit: MiniSat runs synchronously and cannot be interrupted from its own thread. Without a
 * limit it runs in-process (≈4 ms to instantiate). With `timeLimitSec`, it runs in a child process
 * (`minisat-child.cjs`) under `spawnSync({timeout})`, killed when the limit passes → `unknown`.
 * The child costs a Node start-up (≈50–100 ms), which is counted in `timeMs`.
 */
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { satisfies, type Cnf } from './cnf';

/**
 * The reference solver's answer: sat (with a model checked against every clause), unsat (MiniSat's
 * word, no proof), or unknown (with the reason).
 */
export interface SatResult {
  status: 'sat' | 'unsat' | 'unknown';
  /** When sat: a signed literal for every variable 1..n (`v` true, `-v` false), checked. */
  assignment?: number[];
  timeMs: number;
  /**
   * With a time limit (child process): the solver's own time, without the child's start-up
   * (tens to hundreds of ms that `timeMs` includes). Absent in process, where the two coincide.
   */
  solverMs?: number;
  solver: string;
  /** Why the answer is unknown (time limit, solver memory). */
  reason?: string;
  /** The solver failed: it ran out of its fixed heap, or the formula is beyond `SAT_CAPACITY`. */
  outOfMemory?: boolean;
}

/**
 * What the reference solver can hold. MiniSat's Emscripten build has a fixed 64 MB heap; its use
 * is about 100 bytes per variable, 28 per clause and 4 per literal, fitted to where `nsad sat` ran
 * out on random 3-SAT (10^6 clauses: ran with 10^5 variables, out of memory with 1.5·10^5;
 * 7·10^5 clauses with 1.75·10^5 variables ran, 8·10^5 with 2·10^5 did not): the estimate of the
 * largest formula that ran is 50 MB, of the smallest that failed 52 MB. `bytes` stays 10 % below.
 * Formulas whose estimate exceeds it are not attempted: `solveSat` answers unknown at once and
 * `nsad sat` refuses them up front; below it, learnt clauses can still fill the heap on a hard
 * formula, which is reported as a failure (`outOfMemory`), never as an answer.
 */
export const SAT_CAPACITY = { bytesPerVariable: 100, bytesPerClause: 28, bytesPerLiteral: 4, bytes: 45_000_000 } as const;

/** The estimated MiniSat heap use of `cnf` (bytes; see SAT_CAPACITY). */
export function satMemoryEstimate(cnf: Cnf): number {
  let literals = 0;
  for (const c of cnf.clauses) literals += c.length;
  return SAT_CAPACITY.bytesPerVariable * cnf.n + SAT_CAPACITY.bytesPerClause * cnf.clauses.length + SAT_CAPACITY.bytesPerLiteral * literals;
}

/** Why `cnf` is beyond the reference solver, or null when it is within SAT_CAPACITY. */
export function beyondSatCapacity(cnf: Cnf): string | null {
  const est = satMemoryEstimate(cnf);
  if (est <= SAT_CAPACITY.bytes) return null;
  return `${cnf.n} variables and ${cnf.clauses.length} clauses need about ${Math.round(est / 1e6)} MB of solver memory, beyond the reference solver's capacity (${SAT_CAPACITY.bytes / 1e6} MB of MiniSat's fixed 64 MB heap)`;
}

/** Options of `solveSat`. */
export interface SatOptions {
  /** Wall-clock limit in seconds; the solver then runs in a child process that is killed. */
  timeLimitSec?: number;
  /** Run the solver even beyond SAT_CAPACITY (tests: to observe its own out-of-memory abort). */
  beyondCapacity?: boolean;
}

export const SOLVER_NAME = 'minisat-2.2 (logic-solver 2.0.1, emscripten)';

interface MiniSatInstance {
  ensureVar(v: number): void;
  addClause(terms: number[]): boolean;
  solve(): boolean;
  getSolution(): (boolean | null)[];
}
type MiniSatCtor = new () => MiniSatInstance;

const require_ = createRequire(import.meta.url);
let ctor: MiniSatCtor | null = null;
function miniSat(): MiniSatCtor {
  ctor ??= require_('logic-solver/minisat_wrapper.js') as MiniSatCtor;
  return ctor;
}

function toAssignment(n: number, model: readonly (boolean | null | undefined)[], offset: number): number[] {
  const a: number[] = new Array(n);
  for (let v = 1; v <= n; v++) a[v - 1] = model[v - offset] === true ? v : -v;
  return a;
}

function checked(cnf: Cnf, assignment: number[], t0: number): SatResult {
  // A model that violates a clause would be a solver or wrapper bug: never pass it on.
  if (!satisfies(cnf, assignment)) throw new Error('reference SAT solver returned an assignment that violates the formula');
  return { status: 'sat', assignment, timeMs: performance.now() - t0, solver: SOLVER_NAME };
}

/**
 * Decide satisfiability of `cnf`.
 * Post: status 'sat' ⇒ `assignment` has length n, entry i is ±(i+1), and satisfies every clause;
 * 'unsat' ⇒ MiniSat proved unsatisfiability (or the formula has an empty clause);
 * 'unknown' ⇒ the time limit passed or the solver ran out of its 64 MB heap (`reason` says which).
 */
export function solveSat(cnf: Cnf, opts: SatOptions = {}): SatResult {
  const t0 = performance.now();
  if (cnf.clauses.some((c) => c.length === 0))
    return { status: 'unsat', timeMs: performance.now() - t0, solver: SOLVER_NAME, reason: 'empty clause' };
  const beyond = opts.beyondCapacity ? null : beyondSatCapacity(cnf);
  if (beyond !== null) return { status: 'unknown', timeMs: performance.now() - t0, solver: SOLVER_NAME, reason: beyond, outOfMemory: true };
  if (opts.timeLimitSec !== undefined) return solveInChild(cnf, opts.timeLimitSec, t0);
  let s: MiniSatInstance;
  let ok = true;
  // The Emscripten build prints its own messages (e.g. on an out-of-memory abort) through
  // console.log as "MINISAT-out: …"; keep them off stdout (a --json command prints one object).
  const log = console.log;
  const captured: string[] = [];
  console.log = (...args: unknown[]): void => {
    if (typeof args[0] === 'string' && args[0].startsWith('MINISAT-')) captured.push(args.map(String).join(' '));
    else log(...args);
  };
  try {
    s = new (miniSat())();
    if (cnf.n > 0) s.ensureVar(cnf.n);
    for (const c of cnf.clauses) {
      if (!s.addClause(c as number[])) {
        ok = false;
        break;
      }
    }
    if (ok) ok = s.solve();
  } catch (e) {
    // An Emscripten abort (it prints first, then throws "abort() at …"): no answer. Anything else
    // is a bug and propagates.
    if (captured.length === 0 && !String(e).includes('abort(')) throw e;
    return unknownAbort(captured, e, performance.now() - t0);
  } finally {
    console.log = log;
  }
  if (!ok) return { status: 'unsat', timeMs: performance.now() - t0, solver: SOLVER_NAME };
  return checked(cnf, toAssignment(cnf.n, s.getSolution(), 0), t0);
}

/** The answer when the Emscripten MiniSat aborted, with one line saying why. */
function unknownAbort(messages: readonly string[], e: unknown, timeMs: number): SatResult {
  const all = [...messages, String(e)].join(' ');
  if (all.includes('Cannot enlarge memory arrays'))
    return { status: 'unknown', timeMs, solver: SOLVER_NAME, reason: "solver out of memory (MiniSat's fixed 64 MB Emscripten heap)", outOfMemory: true };
  return { status: 'unknown', timeMs, solver: SOLVER_NAME, reason: `solver aborted: ${(messages[0] ?? String(e)).split('\n')[0]!.slice(0, 200)}` };
}

function solveInChild(cnf: Cnf, timeLimitSec: number, t0: number): SatResult {
  if (!(timeLimitSec > 0)) throw new RangeError(`timeLimitSec must be positive, got ${timeLimitSec}`);
  const script = join(dirname(fileURLToPath(import.meta.url)), 'minisat-child.cjs');
  const r = spawnSync(process.execPath, [script], {
    input: JSON.stringify({ n: cnf.n, clauses: cnf.clauses }),
    timeout: Math.ceil(timeLimitSec * 1000),
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
    encoding: 'utf8',
  });
  const timeMs = performance.now() - t0;
  if (r.error !== undefined || r.signal !== null) {
    const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT' || r.signal === 'SIGKILL';
    if (timedOut) return { status: 'unknown', timeMs, solver: SOLVER_NAME, reason: `time limit ${timeLimitSec} s` };
    throw new Error(`reference SAT solver child failed: ${r.error?.message ?? r.signal}`);
  }
  let out: { sat?: boolean; model?: boolean[]; ms?: number; error?: string; messages?: string[] };
  try {
    out = JSON.parse(r.stdout) as typeof out;
  } catch {
    throw new Error(`reference SAT solver child: unreadable output (exit ${r.status}): ${r.stderr.slice(0, 300)}`);
  }
  if (out.error !== undefined) return unknownAbort(out.messages ?? [], out.error, timeMs);
  const solverMs = typeof out.ms === 'number' ? { solverMs: out.ms } : {};
  if (out.sat !== true) return { status: 'unsat', timeMs, ...solverMs, solver: SOLVER_NAME };
  return { ...checked(cnf, toAssignment(cnf.n, out.model ?? [], 1), t0), ...solverMs };
}
