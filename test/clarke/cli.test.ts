/**
 * The clarke / decide / verify commands through the real bin (process contract: one JSON object
 * on stdout, exit codes), on a tiny network, a tiny CNF, and one SATLIB uf20 file when present.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { verifyCertificate } from '../../src/verify';
import { join } from 'node:path';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { satlibFiles } from '../../src/cnf/satlib';
import { readCnfFile } from '../../src/cnf/dimacs';
import { satisfies } from '../../src/cnf/cnf';
import { solveTextWithHighs, shutdownWorkers } from '../../src/milp/backends';
import { root, cli, bin, userError } from '../helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'nsad-clarke-'));
const nsad = (...args: string[]) => bin(args, 120_000);

afterAll(async () => {
  await shutdownWorkers();
});

describe('nsad clarke / decide / verify', () => {
  it('clarke on |x| written with a carry pair: two, a certificate that verify accepts, LP and MPS export', async () => {
    const net = join(root, 'test/fixtures/abs-carry.json');
    const cert = join(dir, 'abs.cert.json');
    const lp = join(dir, 'abs.lp');
    const r = nsad('clarke', net, '--json', '--certificate', cert, '--export', lp);
    expect(r.code, r.err).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(1);
    const j = JSON.parse(lines[0]!);
    expect(j.answer).toBe('two');
    for (const k of ['subgradients', 'certificate', 'restsOn', 'solver', 'timeMs', 'binaries', 'constraints']) expect(j).toHaveProperty(k);
    expect(nsad('verify', net, cert).code).toBe(0);
    // the exported model is the same question: HiGHS reads it back and finds it feasible
    const back = await solveTextWithHighs(readFileSync(lp, 'utf8'), 'lp', 20);
    expect(back.status).toBe('Optimal');
    const mps = join(dir, 'abs.mps');
    expect((await cli('clarke', net, '--export', mps)).error).toBeUndefined();
    expect((await solveTextWithHighs(readFileSync(mps, 'utf8'), 'mps', 20)).status).toBe('Optimal');
    // a tampered certificate is rejected with exit 1
    const c = JSON.parse(readFileSync(cert, 'utf8'));
    c.gradients[1] = c.gradients[0];
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(c));
    const bad = await cli('verify', net, join(dir, 'bad.json'));
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/invalid/);
  }, 120_000);

  it('bad input: a UserError naming the option or file (exit 2, one line)', async () => {
    const net = join(root, 'test/fixtures/abs-carry.json');
    expect(await userError('clarke', net, '--solver', 'cplex')).toMatch(/--solver/);
    expect(await userError('clarke', net, '--at', '1,2')).toMatch(/--at/);
    expect(await userError('clarke', net, '--export', join(dir, 'x.txt'))).toMatch(/--export/);
    expect(await userError('verify', join(dir, 'missing.json'), net)).toMatch(/missing\.json/);
    expect(await userError('decide', join(dir, 'missing.cnf'))).toMatch(/missing\.cnf/);
  });

  it('decide on an unsatisfiable CNF (default bab): exact singleton, satisfiable false', async () => {
    const f = join(dir, 'unsat-bab.cnf');
    writeFileSync(f, 'p cnf 2 4\n1 2 0\n-1 2 0\n1 -2 0\n-1 -2 0\n');
    const r = await cli('decide', f, '--json');
    expect(r.error).toBeUndefined();
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ answer: 'singleton', satisfiable: false, exact: true, solver: 'bab' });
    expect(j.restsOn).toMatch(/independent verifier/);
  });

  it('decide on an unsatisfiable CNF with a MILP backend: singleton only with --trust-solver, satisfiable false', async () => {
    const f = join(dir, 'unsat.cnf');
    writeFileSync(f, 'p cnf 2 4\n1 2 0\n-1 2 0\n1 -2 0\n-1 -2 0\n');
    const r = await cli('decide', f, '--json', '--trust-solver', '--solver', 'highs');
    expect(r.error).toBeUndefined();
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ answer: 'singleton', satisfiable: false, exact: false });
    for (const k of ['solver', 'timeMs', 'binaries', 'constraints']) expect(j).toHaveProperty(k);
  });

  const uf20 = satlibFiles('uf20-91');
  it.skipIf(uf20.length === 0)('decide on a SATLIB uf20-91 file: two, checked assignment, verifiable certificate', () => {
    const f = uf20.find((p) => p.endsWith('uf20-05.cnf')) ?? uf20[0]!;
    const cert = join(dir, 'uf20.cert.json');
    const net = join(dir, 'uf20.net.json');
    const r = nsad('decide', f, '--json', '--certificate', cert, '--network', net, '--time-limit', '60');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.answer).toBe('two');
    expect(j.satisfiable).toBe(true);
    expect(satisfies(readCnfFile(f), j.assignment)).toBe(true);
    expect(existsSync(cert)).toBe(true);
    expect(verifyCertificate(JSON.parse(readFileSync(net, 'utf8')), JSON.parse(readFileSync(cert, 'utf8')))).toEqual({ valid: true });
  }, 150_000);
});
