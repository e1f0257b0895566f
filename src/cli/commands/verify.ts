/** `nsad verify NET CERT`: check a Clarke certificate exactly; exit 0 iff valid (1 if invalid). */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { UserError } from '../../errors';
import { verifyCertificate } from '../../verify';

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UserError(`${path}: not valid JSON (${(e as Error).message})`);
  }
}

export function register(program: Command): void {
  program
    .command('verify')
    .description('check a Clarke certificate (two subgradients) against a network, exactly; exit 0 iff valid')
    .argument('<net>', 'network file (nsad-network JSON)')
    .argument('<cert>', 'certificate file (nsad-clarke-certificate JSON)')
    .option('--json', 'print one JSON object {valid, reason?}')
    .action((netPath: string, certPath: string, opts: { json?: boolean }) => {
      const r = verifyCertificate(readJson(netPath), readJson(certPath));
      if (opts.json) console.log(JSON.stringify(r));
      else console.log(r.valid ? 'valid' : `invalid: ${r.reason}`);
      if (!r.valid) process.exitCode = 1;
    });
}
