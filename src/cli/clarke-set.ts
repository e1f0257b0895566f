/**
 * `nsad clarke NET --at X --set` and `--contains V` (docs/theory.md §9): the whole Clarke
 * subdifferential at x̄ and exact membership in it. Called by the clarke command when either option
 * is given; parses, calls src/clarke/set, prints JSON or Markdown, writes the certificates.
 */
import { readNetworkFile } from '../network/format';
import { parsePoint, parseIntOption, parseNumberOption, exactJson } from './args';
import { clarkeSet, clarkeContains, DEFAULT_MAX_PIECES, type ClarkeSet, type Membership } from '../clarke/set/index';
import { setJson, setMarkdown, membershipJson, membershipMarkdown } from '../clarke/set/report';
import { writeSetCertificateFile } from '../certificate/clarke-set';
import { checkOutputs, tryWrite, writeFileAtomic } from '../io/atomic';
import { TimeLimitReached, UserError } from '../errors';

export interface SetOpts {
  at?: string;
  set?: boolean;
  contains?: string;
  maxPieces?: string;
  certificate?: string;
  containsCertificate?: string;
  markdown?: string;
  timeLimit?: string;
  seed?: string;
  json?: boolean;
  verbose?: boolean;
  /** Options of the two/singleton question, refused here. */
  cnf?: string;
  solver?: string;
  trustSolver?: boolean;
  proof?: string;
  export?: string;
  jobs?: string;
}

/** The options this mode takes, and the others refused by name. */
const REFUSED: Array<[keyof SetOpts, string]> = [
  ['cnf', '--cnf'],
  ['solver', '--solver'],
  ['trustSolver', '--trust-solver'],
  ['proof', '--proof'],
  ['export', '--export'],
  ['jobs', '--jobs'],
];

export async function runClarkeSet(netPath: string, opts: SetOpts, startedAt = performance.now()): Promise<void> {
  for (const [k, name] of REFUSED)
    if (opts[k] !== undefined) throw new UserError(`${name} applies to the two/singleton question; it cannot be combined with --set or --contains`);
  if (opts.containsCertificate !== undefined && opts.contains === undefined) throw new UserError('--contains-certificate needs --contains');
  // The one output-path guard (src/io/atomic.ts), before any work.
  checkOutputs(
    [['--certificate', opts.certificate], ['--contains-certificate', opts.containsCertificate], ['--markdown', opts.markdown]],
    [netPath, opts.at, opts.contains],
  );
  const net = readNetworkFile(netPath);
  const at = opts.at === undefined ? undefined : parsePoint(opts.at);
  const v = opts.contains === undefined ? undefined : parsePoint(opts.contains, '--contains');
  if (v !== undefined && v.length !== net.inputDim) throw new UserError(`--contains: expected ${net.inputDim} coordinates (inputDim), got ${v.length}`);
  const maxPieces = opts.maxPieces === undefined ? DEFAULT_MAX_PIECES : parseIntOption(opts.maxPieces, '--max-pieces', 1, 1e9);
  const timeLimitSec = opts.timeLimit === undefined ? 60 : parseNumberOption(opts.timeLimit, '--time-limit', 0.1, 1e7);
  const seed = opts.seed === undefined ? 1 : parseIntOption(opts.seed, '--seed', 0, Number.MAX_SAFE_INTEGER);
  const progress = opts.verbose ? (s: string) => process.stderr.write(`nsad clarke: ${s}\n`) : undefined;
  let set: ClarkeSet | undefined;
  let mem: Membership | undefined;
  // --time-limit covers the whole command: reading and parsing count against it.
  const left = () => Math.max(0.001, timeLimitSec - (performance.now() - startedAt) / 1000);
  try {
    if (opts.set) set = clarkeSet(net, { at, maxPieces, timeLimitSec: left(), seed, progress });
    if (v !== undefined) mem = clarkeContains(net, v, { at, set, timeLimitSec: left(), seed, progress });
  } catch (e) {
    if (!(e instanceof TimeLimitReached)) throw e;
    // Before any piece could be certified: an explicit undecided answer, nothing written.
    const line = `undecided: time limit (${timeLimitSec} s) reached during ${e.during}; no piece enumerated, no certificate`;
    if (opts.json) console.log(JSON.stringify({ undecided: true, reason: line }));
    else console.log(line);
    for (const [name, path] of [['--certificate', opts.certificate], ['--contains-certificate', opts.containsCertificate], ['--markdown', opts.markdown]] as const)
      if (path !== undefined) process.stderr.write(`nsad clarke: ${name} ${path} not written: the answer is undecided\n`);
    return;
  }
  const failures: string[] = [];
  const written: string[] = [];
  const write = (name: string, label: string, path: string | undefined, cert: Parameters<typeof writeSetCertificateFile>[1] | undefined): void => {
    if (path === undefined) return;
    if (!cert) {
      failures.push(`${name} ${path} not written: the answer has no certificate (undecided)`);
      return;
    }
    const f = tryWrite(`${name} ${path}`, () => writeSetCertificateFile(path, cert));
    if (f) failures.push(f);
    else written.push(`${label} certificate written to ${path}`);
  };
  write('--certificate', set ? 'set' : 'membership', opts.certificate, set ? set.certificate : mem?.certificate);
  write('--contains-certificate', 'membership', opts.containsCertificate, mem?.certificate);
  const md = [set ? setMarkdown(set, `Clarke subdifferential of ${netPath}`) : '', mem ? membershipMarkdown(mem) : ''].filter((s) => s !== '').join('\n');
  if (opts.markdown !== undefined) {
    const f = tryWrite(`--markdown ${opts.markdown}`, () => writeFileAtomic(opts.markdown!, md));
    if (f) failures.push(f);
  }
  if (opts.json) console.log(exactJson({ ...(set ? { set: setJson(set) } : {}), ...(mem ? { membership: membershipJson(mem) } : {}), ...(failures.length > 0 ? { notWritten: failures } : {}) }));
  else {
    console.log(md.trimEnd());
    for (const w of written) console.log(w);
  }
  for (const f of failures) process.stderr.write(`nsad clarke: ${f} (the answer above stands)\n`);
  if (failures.length > 0) process.exitCode = 2;
}
