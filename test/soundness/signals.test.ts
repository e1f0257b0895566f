/**
 * Issue 20, signals: SIGINT or SIGTERM while nsad writes leaves no temp file and no half-written
 * output, and the process ends by the signal (the shell's 128 + n). The window that matters is the
 * synchronous write itself (src/io/atomic.ts `holdTemp`): a child process holds a temp file and
 * signals itself there, deterministically; then (NSAD_HEAVY=1) the real bin is interrupted while
 * it writes two large exports, at several moments. scripts/bad-input-sweep.ts interrupts reduce,
 * export, import, experiment, clarke and decide runs the same way.
 */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from '../helpers/cli';
import { Network, NetLayer } from '../../src/network/network';
import { Rational } from '../../src/exact/rational';
import { serializeNetwork } from '../../src/network/format';

const dir = mkdtempSync(join(tmpdir(), 'nsad-signals-'));
const temps = (d: string): string[] => readdirSync(d).filter((f) => f.endsWith('.tmp'));

describe('an interrupted write', () => {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    it(`${sig} while a temp file is held: the file is removed and the process ends by ${sig}`, () => {
      const sub = mkdtempSync(join(dir, 'held-'));
      const script = `
        import { holdTemp, writeFileAtomic } from ${JSON.stringify(join(root, 'src/io/atomic.ts'))};
        import { writeFileSync } from 'node:fs';
        const tmp = ${JSON.stringify(join(sub, '.out.json.nsad-1.tmp'))};
        writeFileSync(tmp, 'partial');
        holdTemp(tmp);
        process.kill(process.pid, '${sig}');
        // The signal is delivered when the event loop turns; nothing below may run to completion.
        setTimeout(() => { writeFileSync(${JSON.stringify(join(sub, 'survived'))}, 'x'); }, 2000);
      `;
      const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 60_000 });
      expect(r.signal).toBe(sig);
      expect(temps(sub)).toEqual([]);
      expect(existsSync(join(sub, 'survived'))).toBe(false);
    }, 60_000);
  }

  it('a program with its own SIGTERM listener receives the signal once; the held temp file is removed all the same', () => {
    const sub = mkdtempSync(join(dir, 'theirs-'));
    const script = `
      import { holdTemp } from ${JSON.stringify(join(root, 'src/io/atomic.ts'))};
      import { writeFileSync, appendFileSync } from 'node:fs';
      const tmp = ${JSON.stringify(join(sub, '.out.json.nsad-1.tmp'))};
      process.on('SIGTERM', () => { appendFileSync(${JSON.stringify(join(sub, 'theirs'))}, 'x'); setTimeout(() => process.exit(0), 200); });
      writeFileSync(tmp, 'partial');
      holdTemp(tmp);
      process.kill(process.pid, 'SIGTERM');
      setTimeout(() => {}, 2000);
    `;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(readFileSync(join(sub, 'theirs'), 'utf8')).toBe('x');
    expect(temps(sub)).toEqual([]);
  }, 60_000);

  it('a signal during a synchronous write is held until the rename, then ends the process by it', () => {
    const sub = mkdtempSync(join(dir, 'during-'));
    const out = join(sub, 'out.bin');
    const script = `
      import { holdTemp, writeFileAtomic } from ${JSON.stringify(join(root, 'src/io/atomic.ts'))};
      import { writeFileSync } from 'node:fs';
      // The listener is installed (as writeFileAtomic installs it around its write), the signal
      // arrives, then a synchronous write runs to the end: the signal is handled once the write is
      // done (the output complete, its temp file renamed), and the process ends by it.
      const release = holdTemp(${JSON.stringify(join(sub, '.marker.tmp'))});
      process.kill(process.pid, 'SIGTERM');
      writeFileAtomic(${JSON.stringify(out)}, Buffer.alloc(16 << 20, 7));
      release();
      setTimeout(() => { writeFileSync(${JSON.stringify(join(sub, 'survived'))}, 'x'); }, 2000);
    `;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(r.signal).toBe('SIGTERM');
    expect(temps(sub)).toEqual([]);
    expect(readFileSync(out).length).toBe(16 << 20);
    expect(existsSync(join(sub, 'survived'))).toBe(false);
  }, 60_000);

  it.runIf(process.env.NSAD_HEAVY === '1')('the real bin interrupted while exporting a 10^5-layer network: no temp file; each output absent or complete', async () => {
    const one = NetLayer.fromRows(1, [[0]], [[Rational.int(1)]], undefined);
    const net = join(dir, 'chain.json');
    writeFileSync(net, serializeNetwork(new Network(1, Array.from({ length: 100_000 }, () => one))));
    // The full export, for sizes (uninterrupted).
    const whole = mkdtempSync(join(dir, 'whole-'));
    const w = spawnSync(process.execPath, [join(root, 'bin/nsad.js'), 'export', net, '--onnx', join(whole, 'c.onnx'), '--safetensors', join(whole, 'c.st')], { cwd: root, timeout: 300_000 });
    expect(w.status).toBe(0);
    const size = { onnx: readFileSync(join(whole, 'c.onnx')).length, st: readFileSync(join(whole, 'c.st')).length };
    for (const [sig, after] of [['SIGINT', 1500], ['SIGTERM', 3000], ['SIGINT', 4500]] as const) {
      const sub = mkdtempSync(join(dir, 'bin-'));
      const child = spawn(process.execPath, [join(root, 'bin/nsad.js'), 'export', net, '--onnx', join(sub, 'c.onnx'), '--safetensors', join(sub, 'c.st')], { cwd: root, stdio: 'ignore' });
      const timer = setTimeout(() => child.kill(sig), after);
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((res) => child.on('exit', (c, s) => res([c, s])));
      clearTimeout(timer);
      expect(signal === sig || code === 0, `${sig} after ${after} ms: exit ${code} ${signal}`).toBe(true);
      expect(temps(sub)).toEqual([]);
      if (existsSync(join(sub, 'c.onnx'))) expect(readFileSync(join(sub, 'c.onnx')).length).toBe(size.onnx);
      if (existsSync(join(sub, 'c.st'))) expect(readFileSync(join(sub, 'c.st')).length).toBe(size.st);
    }
  }, 600_000);
});
