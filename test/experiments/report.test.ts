/**
 * The hardness and phase-transition reports on synthetic rows (no solver runs): censored runs are
 * kept and marked, growth is fitted on measured medians only, and "holds?" follows the stated
 * rules — "yes" on clean exponential data, "partly" on flat data, "no" on a disagreement.
 */
import { describe, it, expect } from 'vitest';
import hardness from '../../experiments/hardness';
import pt from '../../experiments/phase-transition';
import { Rng } from '../../src/exact/rng';
import type { ExperimentOptions, Json, Row } from '../../experiments/runner/types';

const opts: ExperimentOptions = { quick: true, seed: 1, timeLimitSec: 20, methods: ['highs'] };

/** A hardness row as experiments/formula.ts shapes it; `ms` and `answer` of the Clarke method given. */
function hrow(id: string, n: number, sat: 'sat' | 'unsat', ms: number, answer: string, extra: Record<string, Json> = {}): Row {
  return {
    id,
    kind: 'random',
    family: 'random ratio 4.26',
    n,
    m: Math.round(4.26 * n),
    sat,
    satMs: 1 + n / 100,
    neurons: 47 * n,
    weights: 120 * n,
    conservative: 'two',
    conservativeMs: 0.002 * n,
    conservativeReproduced: true,
    clarkeOneMs: 0.01 * n,
    clarkeOneZero: sat === 'unsat',
    clarke_highs_answer: answer,
    clarke_highs_exact: answer === 'two',
    clarke_highs_ms: ms,
    clarke_highs_certValid: answer === 'two' ? true : null,
    disagreements: [],
    ...extra,
  };
}

function sweep(time: (n: number) => number): Row[] {
  const rng = new Rng(42);
  const rows: Row[] = [];
  for (const n of [8, 12, 16, 20, 24, 28])
    for (let i = 0; i < 3; i++) {
      const noise = 0.8 + 0.4 * rng.float();
      const sat = i === 2 ? 'unsat' : 'sat';
      const t = time(n) * noise;
      rows.push(hrow(`r426-n${n}-${i}`, n, sat, Math.min(t, 20_000), t >= 20_000 ? 'unknown' : sat === 'sat' ? 'two' : 'singleton'));
    }
  return rows;
}

describe('hardness report', () => {
  it('exponential growth under the limit: claim 3 "yes" by the rule, CI and r² printed', async () => {
    const r = await hardness.report(sweep((n) => 10 * Math.exp(0.25 * n)), opts);
    const c3 = r.claims.find((c) => c.ref === '3')!;
    expect(c3.holds).toBe('yes');
    expect(c3.rule).toMatch(/95% CI .* excludes 0 and r² ≥ 0\.9/);
    expect(c3.measured).toMatch(/×1\.\d+ per variable \(95% CI ×/);
    expect(r.claims.find((c) => c.ref === '4')!.holds).toBe('yes');
    expect(r.plots.map((p) => p.name)).toEqual(['time-vs-n', 'clarke-times', 'time-vs-size']);
  });

  it('censored runs are kept: counted, marked "≥", not fitted, drawn open', async () => {
    // Grows past the 20 s limit from n = 24 on.
    const rows = sweep((n) => 3 * Math.exp(0.35 * n));
    const censored = rows.filter((x) => x.clarke_highs_answer === 'unknown').length;
    expect(censored).toBeGreaterThan(0);
    const r = await hardness.report(rows, opts);
    expect(r.markdown).toMatch(/≥ 20/);
    expect(r.markdown).toMatch(/n = 2[48](, 28)?: ≥ limit/);
    expect((r.summary.unknowns as string[]).length).toBe(censored);
    const pts = ((r.plots[1]!.spec as { data: { values: { censored: boolean }[] } }).data.values);
    expect(pts.length).toBe(rows.length);
    expect(pts.filter((p) => p.censored).length).toBe(censored);
  });

  it('flat times: "partly" (the CI of the slope contains 0); a disagreement: "no"', async () => {
    const flat = await hardness.report(sweep(() => 5000), opts);
    expect(flat.claims.find((c) => c.ref === '3')!.holds).toBe('partly');
    const bad = sweep((n) => 10 * Math.exp(0.25 * n));
    bad[0] = { ...bad[0]!, disagreements: ['highs: Clarke answer two but the reference SAT solver says unsat'] };
    const r = await hardness.report(bad, opts);
    expect(r.claims.find((c) => c.ref === '3')!.holds).toBe('no');
    expect(r.markdown).toMatch(/DISAGREEMENTS \(1\)/);
  });
});

describe('phase-transition report', () => {
  it('one curve per n; crossing and peak in the window ⇒ "yes"; many unknowns ⇒ "partly"', () => {
    const rows: Row[] = [];
    const ratios = [1, 2, 3, 3.5, 4, 4.26, 4.5, 5, 5.5, 6, 7, 8];
    for (const n of [10, 20])
      for (const ratio of ratios)
        for (let i = 0; i < 4; i++) {
          const sat = ratio < 4.3 || (ratio < 5 && i < 2) ? 'sat' : 'unsat';
          const ms = 1000 * Math.exp(-((ratio - 4.4) ** 2)) * (n / 10);
          rows.push({ id: `n${n}-r${ratio.toFixed(2)}-0${i}`, n, ratio, index: i, sat, answer: sat === 'sat' ? 'two' : 'singleton', ms, method: 'highs', disagreements: [] });
        }
    const r = pt.report(rows, opts) as Awaited<ReturnType<typeof pt.report>>;
    expect(r.claims[0]!.holds).toBe('yes');
    const per = r.summary.perN as { n: number; half: number }[];
    expect(per.map((x) => x.n)).toEqual([10, 20]);
    expect(per[1]!.half).toBeGreaterThan(4.26);
    const many = rows.map((x) => (x.n === 20 && (x.ratio as number) >= 5 ? { ...x, answer: 'unknown', ms: 20_000 } : x));
    expect((pt.report(many, opts) as Awaited<ReturnType<typeof pt.report>>).claims[0]!.holds).toBe('partly');
  });
});
