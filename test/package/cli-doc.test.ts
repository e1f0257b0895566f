import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { BEGIN, END, CLI_DOC, cliReference } from '../../scripts/cli-doc';
import { buildProgram, COMMANDS } from '../../src/cli/program';

describe('docs/cli.md', () => {
  it('holds the current help of every command (regenerate with `npm run docs:cli`)', async () => {
    const text = readFileSync(CLI_DOC, 'utf8');
    const a = text.indexOf(BEGIN);
    const b = text.indexOf(END);
    expect(a, 'begin marker').toBeGreaterThan(0);
    expect(b, 'end marker').toBeGreaterThan(a);
    const committed = text.slice(a + BEGIN.length, b).trim();
    expect(committed, 'docs/cli.md is stale: run `npm run docs:cli`').toBe((await cliReference()).trim());
  });

  it('names every command of the program', () => {
    const text = readFileSync(CLI_DOC, 'utf8');
    for (const [cmd] of COMMANDS) expect(text).toContain(`### \`nsad ${cmd}\``);
  });

  it('the lazy program registers exactly the command it is asked for, or all', async () => {
    expect((await buildProgram(['node', 'nsad', 'decide', 'x.cnf'])).commands.map((c) => c.name())).toEqual(['decide']);
    expect((await buildProgram(['node', 'nsad', '--help'])).commands.map((c) => c.name())).toEqual(COMMANDS.map(([n]) => n));
    expect((await buildProgram(['node', 'nsad', 'no-such-command'])).commands.length).toBe(COMMANDS.length);
  });
});
