/**
 * `nsad explore NET --at X [--plane D1;D2] [--radius R] --out page.html [--svg fig.svg]`: the picture
 * of F at x̄ (src/explore): exact activation regions on a 2-D slice, ∂^c F(x̄), and backprop's
 * vectors for relu'(0) ∈ {0, ½, 1} marked inside or outside — one self-contained HTML page and,
 * with --svg, the same figure as SVG. A network with one input is refused (the slice is 2-D).
 */
import type { Command } from 'commander';
import { basename } from 'node:path';
import { readNetworkFile } from '../../network/format';
import { checkPoint } from '../../network/evaluate';
import { parseVector, type Rational } from '../../exact/rational';
import { parsePoint, parseIntOption, parseNumberOption, readMatrixFile } from '../args';
import { TimeLimitReached, UserError, quoted } from '../../errors';
import { checkOutputs, writeFileAtomic } from '../../io/atomic';
import { existsSync } from 'node:fs';
import { explore, exploreHtml, exploreSvg, independent, DEFAULT_MAX_REGIONS } from '../../explore';

interface Opts {
  at: string;
  plane?: string;
  radius: string;
  out: string;
  svg?: string;
  maxRegions: string;
  timeLimit: string;
}

/**
 * The plane: `D1;D2` (two comma-separated vectors), 2p comma-separated rationals (D1 then D2), or a
 * JSON file holding [D1, D2]. Each vector has p entries; the two are linearly independent.
 */
function parsePlane(text: string, p: number): [Rational[], Rational[]] {
  let vs: Rational[][] | null = null;
  if (text.includes(';')) {
    const parts = text.split(';').map((t) => parseVector(t));
    if (parts.length === 2 && parts[0] && parts[1]) vs = [parts[0], parts[1]];
  } else {
    const flat = parseVector(text);
    if (flat) vs = flat.length === 2 * p ? [flat.slice(0, p), flat.slice(p)] : [flat];
    else if (existsSync(text)) vs = readMatrixFile(text, '--plane');
  }
  if (vs === null) throw new UserError(`--plane: expected D1;D2 (comma-separated rationals each), 2·${p} rationals, or a JSON file [D1, D2], got ${quoted(text)}`);
  if (vs.length !== 2 || vs[0]!.length !== p || vs[1]!.length !== p) throw new UserError(`--plane: expected two directions of ${p} coordinates (inputDim), got ${vs.map((v) => v.length).join(' and ')}`);
  if (!independent(vs[0]!, vs[1]!)) throw new UserError('--plane: D1 and D2 are linearly dependent; the slice needs two independent directions');
  return [vs[0]!, vs[1]!];
}

export function register(program: Command): void {
  program
    .command('explore')
    .description("a picture of F at x̄: exact activation regions on a 2-D slice, the Clarke set, and backprop for relu'(0) ∈ {0, ½, 1} inside or outside it (HTML, SVG)")
    .argument('<net>', 'network file (nsad-network JSON), at least 2 inputs')
    .requiredOption('--at <x>', 'the point x̄: comma-separated rationals (1,-1/2) or a JSON file')
    .option('--plane <d1;d2>', 'the slice directions: D1;D2, or D1 and D2 as 2p comma-separated rationals, or a JSON file [D1, D2] (default e1;e2)')
    .option('--radius <r>', 'half side R of the square: s, t ∈ [−R, R] (a positive rational)', '1')
    .requiredOption('--out <page.html>', 'write the self-contained HTML page here')
    .option('--svg <fig.svg>', 'also write the figure as SVG')
    .option('--max-regions <n>', 'refuse slices with more regions than this', String(DEFAULT_MAX_REGIONS))
    .option('--time-limit <s>', 'seconds for the Clarke set and for each membership question (past it: partial / undecided)', '60')
    .action((netPath: string, opts: Opts) => {
      checkOutputs([['--out', opts.out], ['--svg', opts.svg]], [netPath, opts.at, opts.plane]);
      const maxRegions = parseIntOption(opts.maxRegions, '--max-regions', 1);
      const timeLimitSec = parseNumberOption(opts.timeLimit, '--time-limit', 0);
      const radius = parseVector(opts.radius);
      if (radius === null || radius.length !== 1 || radius[0]!.sign() <= 0) throw new UserError(`--radius: expected a positive rational, got ${quoted(opts.radius)}`);
      const net = readNetworkFile(netPath);
      if (net.inputDim < 2) throw new UserError(`${netPath}: the network has 1 input; explore draws a 2-D slice and needs at least 2 (use nsad grad / nsad clarke --set for one input)`);
      const at = parsePoint(opts.at);
      checkPoint(net, at, '--at');
      const plane = opts.plane === undefined ? undefined : parsePlane(opts.plane, net.inputDim);
      const progress = (line: string): void => void process.stderr.write(`explore: ${line}\n`);
      let e;
      try {
        e = explore(net, { at, plane, radius: radius[0]!, maxRegions, timeLimitSec, progress });
      } catch (err) {
        if (err instanceof RangeError && /more than \d+ regions/.test(err.message))
          throw new UserError(`${netPath}: more than ${maxRegions} activation regions in the square; lower --radius or raise --max-regions`);
        if (err instanceof TimeLimitReached) {
          // Not bad input, and no certified set to draw: one line, nothing written, exit 1.
          process.stderr.write(`nsad: explore: time limit (${timeLimitSec} s) reached during ${err.during}; no page written (raise --time-limit)\n`);
          process.exitCode = 1;
          return;
        }
        throw err;
      }
      writeFileAtomic(opts.out, exploreHtml(e, `nsad explore ${basename(netPath)} at (${at.join(', ')})`));
      if (opts.svg) writeFileAtomic(opts.svg, exploreSvg(e));
      for (const b of e.backprop) console.log(`backprop relu'(0) = ${b.reluPrime}: (${b.gradient.join(', ')}) in the Clarke set: ${b.membership}`);
      console.log(`${e.slice.regions.length} region(s); Clarke set: ${e.clarke.gradients.length} gradient(s), ${e.clarke.complete ? 'complete' : 'partial'}`);
      console.log(`wrote ${opts.out}${opts.svg ? ` and ${opts.svg}` : ''}`);
    });
}
