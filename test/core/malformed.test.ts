import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readNetworkFile } from '../../src/network/format';
import { requireTernary } from '../../src/network/network';
import { UserError } from '../../src/errors';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/core/malformed');
const manifest = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8')) as {
  cases: { file: string; error: string; requireTernary?: boolean }[];
};

describe('malformed network corpus (test/fixtures/core/malformed)', () => {
  it('has a case per file', () => {
    expect(manifest.cases.length).toBeGreaterThanOrEqual(30);
  });
  for (const c of manifest.cases) {
    it(`${c.file}: ${c.error}`, () => {
      const path = join(dir, c.file);
      let err: unknown = null;
      try {
        const net = readNetworkFile(path);
        if (c.requireTernary) requireTernary(net, path);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UserError);
      const msg = (err as UserError).message;
      expect(msg.startsWith(path + ': ')).toBe(true);
      expect(msg).toContain(c.error);
      expect(msg).not.toContain('\n');
      // the ternary cases are well-formed networks: only the ternary requirement refuses them
      if (c.requireTernary) expect(() => readNetworkFile(path)).not.toThrow();
    });
  }
});
