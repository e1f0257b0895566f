// Child process for solveSat with a time limit (src/cnf/sat.ts): MiniSat (logic-solver's
// Emscripten build) cannot be interrupted inside the thread that runs it, so the parent runs this
// script with spawnSync({timeout}) and kills it when the limit passes.
// stdin: JSON {n, clauses}; stdout: JSON {sat: boolean, model?: boolean[] (index 1..n), ms} or {error}.
// ms: the solver's own time (clauses added, solved), without this process's start-up.
'use strict';
// Emscripten messages go through console.log ("MINISAT-out: …"): keep them out of the JSON reply.
const messages = [];
console.log = (...args) => messages.push(args.map(String).join(' '));
const MiniSat = require('logic-solver/minisat_wrapper.js');
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => (input += d));
process.stdin.on('end', () => {
  try {
    const { n, clauses } = JSON.parse(input);
    const t0 = performance.now();
    const s = new MiniSat();
    if (n > 0) s.ensureVar(n);
    let ok = true;
    for (const c of clauses) {
      if (!s.addClause(c)) {
        ok = false;
        break;
      }
    }
    if (ok) ok = s.solve();
    if (!ok) {
      process.stdout.write(JSON.stringify({ sat: false, ms: performance.now() - t0 }));
      return;
    }
    const sol = s.getSolution();
    const model = [];
    for (let v = 1; v <= n; v++) model.push(sol[v] === true);
    process.stdout.write(JSON.stringify({ sat: true, model, ms: performance.now() - t0 }));
  } catch (e) {
    process.stdout.write(JSON.stringify({ error: String(e && e.message ? e.message : e), messages }));
  }
});
