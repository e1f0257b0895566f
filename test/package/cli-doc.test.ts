import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { BEGIN, END, CLI_DOC, cliReference } from '../../scripts/cli-doc';

describe('docs/cli.md', () => {
  it('holds the current help of every command (regenerate with `npm run docs:cli`)', () => {
    const text = readFileSync(CLI_DOC, 'utf8');
    const a = text.indexOf(BEGIN);
    const b = text.indexOf(END);
    expect(a, 'begin marker').toBeGreaterThan(0);
    expect(b, 'end marker').toBeGreaterThan(a);
    const committed = text.slice(a + BEGIN.length, b).trim();
    expect(committed, 'docs/cli.md is stale: run `npm run docs:cli`').toBe(cliReference().trim());
  });

  it('names every command of the program', () => {
    const text = readFileSync(CLI_DOC, 'utf8');
    for (const cmd of ['eval', 'grad', 'lex', 'dir', 'experiment', 'generate', 'sat', 'reduce', 'decode', 'conservative', 'clarke-one', 'clarke', 'decide', 'verify', 'milp'])
      expect(text).toContain(`### \`nsad ${cmd}\``);
  });
});
