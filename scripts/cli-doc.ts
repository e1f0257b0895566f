/**
 * Generates the command reference of docs/cli.md from commander's own help text, so the page
 * cannot drift from the code: `npm run docs:cli` rewrites the block between the markers, and
 * test/package/cli-doc.test.ts fails when the committed block differs from a fresh one.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { buildProgram } from '../src/cli/program';
import { writeFileAtomic } from '../src/io/atomic';

export const BEGIN = '<!-- BEGIN GENERATED: npm run docs:cli -->';
export const END = '<!-- END GENERATED -->';
export const CLI_DOC = fileURLToPath(new URL('../docs/cli.md', import.meta.url));

function helpOf(cmd: Command): string {
  cmd.configureHelp({ helpWidth: 100 });
  return cmd.helpInformation().trimEnd();
}

function walk(cmd: Command, path: string[], out: string[]): void {
  for (const sub of cmd.commands) {
    const p = [...path, sub.name()];
    out.push(`### \`nsad ${p.join(' ')}\``, '', '```text', helpOf(sub), '```', '');
    walk(sub, p, out);
  }
}

/** The generated block: the program's help, then every command's (and sub-command's) help. */
export async function cliReference(): Promise<string> {
  const program = await buildProgram();
  const out = ['```text', helpOf(program), '```', ''];
  walk(program, [], out);
  return out.join('\n');
}

/** `text` with the block between the markers replaced by `block`. */
export function spliceGenerated(text: string, block: string): string {
  const a = text.indexOf(BEGIN);
  const b = text.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${CLI_DOC}: markers ${BEGIN} … ${END} not found`);
  return `${text.slice(0, a + BEGIN.length)}\n\n${block}\n${text.slice(b)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileAtomic(CLI_DOC, spliceGenerated(readFileSync(CLI_DOC, 'utf8'), await cliReference()));
  process.stdout.write(`${CLI_DOC}: command reference regenerated\n`);
}
