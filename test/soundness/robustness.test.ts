/**
 * Robustness items of issue 10: no hang on uncreatable folders, output paths checked before the
 * work (one line, exit 2, no stack), no overwrite of an input, file mode kept, stale temp files of
 * our naming cleaned, a failed late write reported without losing the answer.
 */
import { describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkOutputPath, tryWrite, writeFileAtomic } from '../../src/io/atomic';
import { bin, cli } from '../helpers/cli';
import { fixture } from './fixture';

const dir = mkdtempSync(join(tmpdir(), 'nsad-robust-'));
const cnf = join(dir, 'f.cnf');
writeFileSync(cnf, 'p cnf 2 2\n1 2 0\n-1 -2 0\n');

function oneLine(r: { err: string; code: number | null }): void {
  expect(r.code).toBe(2);
  expect(r.err.trim().split('\n')).toHaveLength(1);
  expect(r.err).toMatch(/^nsad: /);
  expect(r.err).not.toMatch(/\n\s+at /);
}

describe('no hang on a folder that cannot be created (/proc/x/…)', () => {
  it.skipIf(!existsSync('/proc/self'))('reduce --out, clarke --certificate, decide --network: exit 2 within seconds', () => {
    for (const args of [
      ['reduce', cnf, '--out', '/proc/x/net.json'],
      ['clarke', fixture('abs.json'), '--certificate', '/proc/x/c.json'],
      ['decide', cnf, '--network', '/proc/x/n.json'],
    ]) {
      const t0 = Date.now();
      const r = bin(args, 60_000);
      expect(r.signal, `${args.join(' ')} timed out`).toBeNull();
      oneLine(r);
      expect(r.err).toMatch(/\/proc/);
      expect(Date.now() - t0).toBeLessThan(30_000);
    }
    // the library write itself returns too
    expect(() => writeFileAtomic('/proc/x/y/z.json', 'x')).toThrow(/cannot create folder/);
  }, 120_000);
});

describe('output paths are checked before the work', () => {
  it('--out a folder, --out "", a path under a file: one line, exit 2', async () => {
    writeFileSync(join(dir, 'afile'), 'x');
    for (const out of [dir, '', join(dir, 'afile', 'net.json')]) oneLine(await cli('reduce', cnf, '--out', out));
    oneLine(await cli('clarke', fixture('abs.json'), '--certificate', dir));
    oneLine(await cli('decide', cnf, '--certificate', join(dir, 'afile', 'c.json')));
  });

  it('refuses to overwrite an input: reduce F.cnf --out F.cnf leaves F.cnf as it was', async () => {
    const before = readFileSync(cnf, 'utf8');
    const r = await cli('reduce', cnf, '--out', cnf);
    oneLine(r);
    expect(r.err).toMatch(/input/);
    expect(readFileSync(cnf, 'utf8')).toBe(before);
    expect(() => checkOutputPath(fixture('abs.json'), '--certificate', [fixture('abs.json')])).toThrow(/refusing to overwrite an input/);
  });
});

describe('text encodings', () => {
  it('a UTF-16 DIMACS file is refused in one line, like UTF-16 JSON', async () => {
    const f = join(dir, 'u16.cnf');
    writeFileSync(f, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('p cnf 1 1\n1 0\n', 'utf16le')]));
    const r = await cli('reduce', f, '--out', join(dir, 'u16.json'));
    oneLine(r);
    expect(r.err).toMatch(/UTF-16/);
  });
});

describe('atomic writes', () => {
  it('a replaced file keeps its mode', async () => {
    const out = join(dir, 'mode.json');
    writeFileSync(out, '{}');
    chmodSync(out, 0o640);
    expect((await cli('reduce', cnf, '--out', out)).code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o640);
    expect(readFileSync(out, 'utf8')).toMatch(/nsad-network/);
  });

  it('stale temp files of our naming (dead writer) are removed on the next write; a live writer’s are kept', () => {
    const sub = join(dir, 'temps');
    mkdirSync(sub);
    let dead = 4_000_000;
    for (;;) {
      try {
        process.kill(dead, 0);
        dead++;
      } catch {
        break;
      }
    }
    const stale = [join(sub, `.net.json.nsad-${dead}.tmp`), join(sub, `.net.json.${dead}.1700000000000.tmp`)];
    const live = join(sub, `.net.json.nsad-${process.ppid}.tmp`);
    const other = join(sub, '.other.json.nsad-1.tmp');
    for (const f of [...stale, live, other]) writeFileSync(f, 'partial');
    writeFileAtomic(join(sub, 'net.json'), 'done');
    for (const f of stale) expect(existsSync(f), f).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(other)).toBe(true);
    expect(readFileSync(join(sub, 'net.json'), 'utf8')).toBe('done');
  });

  it('a write that fails after the work: the answer is still printed, stderr says what was not written, exit 2', async () => {
    const unsat = join(dir, 'unsat.cnf');
    writeFileSync(unsat, 'p cnf 2 4\n1 2 0\n-1 2 0\n1 -2 0\n-1 -2 0\n');
    const sub = join(dir, 'late');
    mkdirSync(sub);
    const target = join(sub, 'net.json');
    const running = cli('decide', unsat, '--network', target, '--json', '--solver', 'highs');
    // The output check runs before the solver; while the solver works, the folder becomes a file.
    setTimeout(() => {
      rmSync(sub, { recursive: true });
      writeFileSync(sub, 'now a file');
    }, 0);
    const r = await running;
    expect(r.code).toBe(2);
    const j = JSON.parse(r.out);
    expect(j.answer).toBeDefined();
    expect(j.notWritten[0]).toMatch(/--network .* not written/);
    expect(r.err).toMatch(/^nsad decide: --network .* not written: .*\(the answer above stands\)/);
  });

  it('tryWrite turns a late write failure into one line instead of a crash', () => {
    writeFileSync(join(dir, 'plain'), 'x');
    const msg = tryWrite('--certificate x', () => writeFileAtomic(join(dir, 'plain', 'c.json'), 'x'));
    expect(msg).toMatch(/^--certificate x not written: .*not a folder/);
    expect(tryWrite('--certificate y', () => writeFileAtomic(join(dir, 'ok.json'), 'x'))).toBeNull();
  });
});
