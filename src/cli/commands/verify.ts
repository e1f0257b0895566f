/**
 * `nsad verify NET FILE`: check a Clarke certificate (`two`), proof (`singleton`), Clarke set
 * (`nsad clarke --set`) or membership certificate (`nsad clarke --contains`) exactly.
 * Exit 0: the claim holds — a valid certificate, or a valid proof of BOTH signs (the singleton);
 * a valid one-sign proof exits 0 only with `--one-sign`, so that a script testing the exit code
 * never takes half a proof for `singleton`. Exit 1: well-formed but not valid (or one sign only);
 * 2: malformed input (one line on stderr naming the file and the JSON path).
 */
import type { Command } from 'commander';
import { readFileBytes } from '../../io/json-exact';
import { UserError } from '../../errors';
import { checkFiles, decodeText, parseExactJson } from '../../verify/read';
import { parseExactLine, stripBom } from '../../verify/json';
import { verifyProof } from '../../verify/proof';
import { readProofLines } from '../../certificate/proof';

/** Whether the file's first line is the header of an nsad-clarke-proof (JSON Lines). */
function isProof(bytes: Buffer): boolean {
  const nl = bytes.indexOf(10);
  try {
    // Only to tell the two formats apart (the checker reads the header again); one BOM is ignored.
    const head = parseExactLine(stripBom(bytes.subarray(0, nl < 0 ? bytes.length : nl).toString('utf8'))) as { format?: unknown };
    return head !== null && typeof head === 'object' && head.format === 'nsad-clarke-proof';
  } catch {
    return false;
  }
}

export function register(program: Command): void {
  program
    .command('verify')
    .description('check a Clarke certificate (two subgradients), proof (singleton), Clarke set or membership certificate against a network, exactly; exit 0 iff valid, 1 if not, 2 on malformed input')
    .argument('<net>', 'network file (nsad-network JSON)')
    .argument('<cert>', 'certificate file (nsad-clarke-certificate, nsad-clarke-set or nsad-clarke-membership JSON) or proof file (nsad-clarke-proof JSON Lines)')
    .option('--json', 'print one JSON object {valid, reason?}')
    .option('--one-sign', 'a proof of one sign only (header "signs": [1] or [-1]) exits 0 when valid (default: exit 1, it does not prove singleton)')
    .action((netPath: string, certPath: string, opts: { json?: boolean; oneSign?: boolean }) => {
      const certBytes = readFileBytes(certPath);
      if (isProof(certBytes)) {
        // A singleton proof (docs/formats.md "Proof (nsad-clarke-proof)"): streamed line by line.
        let netJson: unknown;
        try {
          netJson = parseExactJson(decodeText(readFileBytes(netPath)));
        } catch (e) {
          throw new UserError(`${netPath}: ${(e as Error).message}`);
        }
        const pr = verifyProof(netJson, readProofLines(certPath));
        // Not a proof of the expected shape (or not a network): bad input, exit 2 (issue 10).
        if (pr.malformed) throw new UserError(`${pr.malformed === 'network' ? netPath : certPath}: ${pr.reason}`);
        if (opts.json) console.log(JSON.stringify(pr));
        else if (!pr.valid) console.log(`invalid: ${pr.reason}`);
        else
          console.log(
            pr.singleton
              ? `valid: the Clarke subdifferential at [${pr.at!.join(', ')}] is the singleton {[${pr.gradient!.join(', ')}]} (${pr.leaves} leaves, ${pr.timeMs.toFixed(0)} ms)`
              : `valid for sign ${pr.signs[0]} only: ${pr.signs[0]}·(G(h) − g·h) ≤ 0 (${pr.leaves} leaves); not a proof of singleton${opts.oneSign ? '' : ' (exit 1; --one-sign accepts it)'}`,
          );
        if (!pr.valid || (!pr.singleton && !opts.oneSign)) process.exitCode = 1;
        return;
      }
      const r = checkFiles(readFileBytes(netPath), certBytes);
      if (r.kind === 'malformed') throw new UserError(`${r.file === 'network' ? netPath : certPath}: ${r.message}`);
      const valid = r.kind === 'valid';
      if (opts.json) console.log(JSON.stringify(r.kind === 'valid' ? { valid, ...(r.claim ? { claim: r.claim } : {}), ...(r.detail ?? {}) } : { valid, reason: r.reason }));
      else console.log(r.kind === 'valid' ? (r.claim ? `valid: ${r.claim}` : 'valid') : `invalid: ${r.reason}`);
      if (!valid) process.exitCode = 1;
    });
}
