/**
 * `nsad verify NET CERT`: check a Clarke certificate exactly. Exit 0: valid; 1: well-formed but
 * not valid; 2: malformed input (one line on stderr naming the file and the JSON path).
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { UserError } from '../../errors';
import { checkFiles } from '../../verify/read';

function readBytes(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`${path}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? (e as Error).message})`}`);
  }
}

export function register(program: Command): void {
  program
    .command('verify')
    .description('check a Clarke certificate (two subgradients) against a network, exactly; exit 0 iff valid, 1 if not, 2 on malformed input')
    .argument('<net>', 'network file (nsad-network JSON)')
    .argument('<cert>', 'certificate file (nsad-clarke-certificate JSON)')
    .option('--json', 'print one JSON object {valid, reason?}')
    .action((netPath: string, certPath: string, opts: { json?: boolean }) => {
      const r = checkFiles(readBytes(netPath), readBytes(certPath));
      if (r.kind === 'malformed') throw new UserError(`${r.file === 'network' ? netPath : certPath}: ${r.message}`);
      const valid = r.kind === 'valid';
      if (opts.json) console.log(JSON.stringify(valid ? { valid } : { valid, reason: r.reason }));
      else console.log(valid ? 'valid' : `invalid: ${r.reason}`);
      if (!valid) process.exitCode = 1;
    });
}
