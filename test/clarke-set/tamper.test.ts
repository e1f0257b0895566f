/**
 * The independent checker (src/verify/set.ts) accepts the certificates of clarkeSet and
 * clarkeContains and refuses tampered ones: every mutation below changes a claim into a false one
 * (or breaks the proof of a true one), on certificates from the artifacts, random networks on kinks,
 * vanishing-tie traps and bias-free networks at 0. Malformed files are told apart (exit 2 in the CLI).
 */
import { describe, it, expect } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Rational, ZERO } from '../../src/exact/rational';
import { networkToJson, serializeNetwork } from '../../src/network/format';
import { clarkeSet, clarkeContains } from '../../src/clarke/set/index';
import { verifySet, verifyMembership } from '../../src/verify/set';
import { serializeSetCertificate, type ClarkeSetJson, type MembershipJson } from '../../src/certificate/clarke-set';
import { reluCarryNetwork, carryNetwork } from '../../reductions/artifacts';
import { kinkCase, trapCase, biasFreeCase, type Case } from './networks';
import { cli } from '../helpers/cli';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const bump = (x: number | string, by = 1): number | string => Rational.parse(String(x))!.add(Rational.int(by)).toJSON();

/** Set-certificate mutations: name → function returning the tampered copy, or null when not applicable. */
const SET_MUTATIONS: Record<string, (c: ClarkeSetJson) => Json | null> = {
  'a gradient entry changed': (c) => {
    const t = clone(c) as Json;
    t.gradients[0][0] = bump(t.gradients[0][0]);
    return t;
  },
  'a gradient listed twice': (c) => {
    const t = clone(c) as Json;
    t.gradients.push(t.gradients[0]);
    if (t.hull) t.hull.push(null);
    return t;
  },
  'a piece dropped (replaced by an unexplored node) while complete': (c) => {
    const t = clone(c) as Json;
    const i = t.tree.findIndex((n: Json) => n[0] === 'p');
    t.tree[i] = ['u'];
    return t;
  },
  'a piece replaced by an empty cone': (c) => {
    const t = clone(c) as Json;
    const i = t.tree.findIndex((n: Json) => n[0] === 'p');
    const first = c.tree.findIndex((n) => n[0] === 's');
    if (first < 0) return null;
    t.tree[i] = ['e', [[0, 1]]];
    return t;
  },
  'a piece direction negated': (c) => {
    if (!c.tree.some((n) => n[0] === 's')) return null;
    const t = clone(c) as Json;
    const i = t.tree.findIndex((n: Json) => n[0] === 'p');
    t.tree[i][2] = t.tree[i][2].map(([k, v]: [number, number | string]) => [k, Rational.parse(String(v))!.neg().toJSON()]);
    return t;
  },
  'a piece pointing at another gradient': (c) => {
    if (c.gradients.length < 2) return null;
    const t = clone(c) as Json;
    const i = t.tree.findIndex((n: Json) => n[0] === 'p');
    t.tree[i][1] = (t.tree[i][1] + 1) % c.gradients.length;
    return t;
  },
  'a vanishing neuron split into two empty cones (the trap)': (c) => {
    const i = c.tree.findIndex((n) => n[0] === 'v');
    if (i < 0) return null;
    // ["v", child…] → ["s", child…, ["e", [[k, 1]]]]: the child subtree becomes the + side.
    const t = clone(c) as Json;
    const end = subtreeEnd(t.tree, i + 1);
    const depth = depthAt(t.tree, i);
    t.tree = [...t.tree.slice(0, i), ['s'], ...t.tree.slice(i + 1, end), ['e', [[depth, 1]]], ...t.tree.slice(end)];
    return t;
  },
  'a split replaced by a vanishing node (the − side dropped)': (c) => {
    const i = c.tree.findIndex((n) => n[0] === 's');
    if (i < 0) return null;
    const t = clone(c) as Json;
    const plusEnd = subtreeEnd(t.tree, i + 1);
    const minusEnd = subtreeEnd(t.tree, plusEnd);
    t.tree = [...t.tree.slice(0, i), ['v'], ...t.tree.slice(i + 1, plusEnd), ...t.tree.slice(minusEnd)];
    return t;
  },
  'a Farkas multiplier changed': (c) => {
    const i = c.tree.findIndex((n) => n[0] === 'e');
    if (i < 0) return null;
    const t = clone(c) as Json;
    t.tree[i][1][0][1] = bump(t.tree[i][1][0][1]);
    return t;
  },
  'the tied list reordered': (c) => {
    if (c.tied.length < 2) return null;
    const t = clone(c) as Json;
    [t.tied[0], t.tied[1]] = [t.tied[1], t.tied[0]];
    return t;
  },
  'an exposing direction negated': (c) => {
    if (!c.hull || c.gradients.length < 2) return null;
    const j = c.hull.findIndex((h) => h !== null && 'exposedBy' in h);
    if (j < 0) return null;
    const t = clone(c) as Json;
    t.hull[j].exposedBy = t.hull[j].exposedBy.map(([k, v]: [number, number | string]) => [k, Rational.parse(String(v))!.neg().toJSON()]);
    if (t.hull[j].exposedBy.length === 0) return null;
    return t;
  },
  'a convex combination weight changed': (c) => {
    if (!c.hull) return null;
    const j = c.hull.findIndex((h) => h !== null && 'combination' in h);
    if (j < 0) return null;
    const t = clone(c) as Json;
    t.hull[j].combination[0][1] = bump(t.hull[j].combination[0][1]);
    return t;
  },
  'a non-extreme point claimed extreme': (c) => {
    if (!c.hull) return null;
    const j = c.hull.findIndex((h) => h !== null && 'combination' in h);
    if (j < 0) return null;
    const t = clone(c) as Json;
    const e = c.hull.find((h) => h !== null && 'exposedBy' in h) as { exposedBy: Json } | undefined;
    t.hull[j] = { exposedBy: e ? e.exposedBy : [[0, 1]] };
    return t;
  },
};

/** Index one past the subtree starting at `i` (preorder; "s" has two children, "v" one). */
function subtreeEnd(tree: Json[], i: number): number {
  let need = 1;
  while (need > 0) {
    const k = tree[i][0];
    need += k === 's' ? 1 : k === 'v' ? 0 : -1;
    i++;
  }
  return i;
}

/** Depth (tied-neuron index) of the node at position `i`. */
function depthAt(tree: Json[], i: number): number {
  const stack: number[] = [];
  let depth = 0;
  for (let pos = 0; pos < i; pos++) {
    const k = tree[pos][0];
    if (k === 's') {
      stack.push(depth);
      depth++;
    } else if (k === 'v') depth++;
    else depth = stack.length > 0 ? stack.pop()! + 1 : depth;
  }
  return depth;
}

function cases(): Case[] {
  return [
    { name: 'relu(carry)', net: reluCarryNetwork(), at: [ZERO], tied: 3 },
    { name: 'carry', net: carryNetwork(), at: [ZERO], tied: 2 },
    ...[0, 3, 7, 11].map((s) => kinkCase(1000 + s, false)),
    ...[2, 5].map((s) => kinkCase(5000 + s, true)),
    ...[0, 1, 2, 4].map((s) => trapCase(12000 + s)),
    ...[1, 3].map((s) => biasFreeCase(9000 + s)),
  ];
}

describe('tamper suite for Clarke set certificates', () => {
  it('accepts every certificate produced, refuses every applicable mutation', () => {
    const applied: Record<string, number> = {};
    for (const c of cases()) {
      const netJson = networkToJson(c.net);
      const set = clarkeSet(c.net, { at: c.at });
      expect(verifySet(netJson, set.certificate).valid, c.name).toBe(true);
      for (const [name, mutate] of Object.entries(SET_MUTATIONS)) {
        const t = mutate(set.certificate);
        if (t === null) continue;
        applied[name] = (applied[name] ?? 0) + 1;
        const r = verifySet(netJson, t);
        expect(r.valid, `${c.name}: ${name}`).toBe(false);
        expect(r.malformed, `${c.name}: ${name}: ${r.reason}`).toBeUndefined();
      }
    }
    // Every mutation met at least one certificate it applies to.
    for (const name of Object.keys(SET_MUTATIONS)) expect(applied[name] ?? 0, name).toBeGreaterThan(0);
  });

  it('membership: yes and no certificates check; tampered ones do not', () => {
    let yes = 0;
    let no = 0;
    for (const c of cases()) {
      const netJson = networkToJson(c.net);
      const set = clarkeSet(c.net, { at: c.at });
      const g = set.gradients;
      const mid = g[0]!.gradient.map((x, i) => x.add(g[g.length - 1]!.gradient[i]!).div(Rational.int(2)));
      const out = g[0]!.gradient.map((x, i) => (i === 0 ? x.add(Rational.of(1n, 3n)) : x));
      for (const v of [mid, out, g[0]!.gradient.map((x) => x.mul(Rational.int(3)).add(Rational.int(1)))]) {
        for (const m of [clarkeContains(c.net, v, { at: c.at }), clarkeContains(c.net, v, { at: c.at, set })]) {
          const cert = m.certificate as MembershipJson;
          expect(verifyMembership(netJson, cert).valid, `${c.name}`).toBe(true);
          const tampered: Json[] = [];
          const t1 = clone(cert) as Json;
          t1.vector[0] = bump(t1.vector[0]);
          if (m.answer === 'yes') {
            yes++;
            tampered.push(t1);
            const t2 = clone(cert) as Json;
            t2.weights[0] = bump(t2.weights[0]);
            tampered.push(t2);
            const t3 = clone(cert) as Json;
            t3.pieces[0].gradient[0] = bump(t3.pieces[0].gradient[0]);
            tampered.push(t3);
            const t4 = clone(cert) as Json;
            t4.answer = 'no';
            tampered.push(t4);
          } else {
            no++;
            // The vector moved onto a gradient of the set: now inside, so no bound can separate it.
            const t2 = clone(cert) as Json;
            t2.vector = g[0]!.gradient.map((x) => x.toJSON());
            tampered.push(t2);
            const t3 = clone(cert) as Json;
            t3.direction = t3.direction.map((x: number | string) => Rational.parse(String(x))!.neg().toJSON());
            tampered.push(t3);
            const e = (cert as Json).tree.findIndex((n: Json) => n[0] === 'e');
            if (e >= 0) {
              const t4 = clone(cert) as Json;
              t4.tree[e] = ['b'];
              // Not necessarily invalid (the bound may close it too): only count a refusal below if it is.
              if (!verifyMembership(netJson, t4).valid) tampered.push(t4);
            }
          }
          for (const t of tampered) {
            const r = verifyMembership(netJson, t);
            expect(r.valid, `${c.name}: tampered ${m.answer} certificate accepted`).toBe(false);
          }
        }
      }
    }
    expect(yes).toBeGreaterThan(10);
    expect(no).toBeGreaterThan(10);
  });

  it('malformed certificates are told apart from false ones', () => {
    const c = kinkCase(1003, false);
    const netJson = networkToJson(c.net);
    const cert = clarkeSet(c.net, { at: c.at }).certificate;
    const bad: Json[] = [
      'not an object',
      { ...cert, version: 2 },
      { ...cert, at: ['1/0', ...cert.at.slice(1)] },
      { ...cert, tree: [['q']] },
      { ...cert, tree: [['p', 0, [[99999, 1]]]] },
      { ...cert, complete: 'yes' },
    ];
    for (const b of bad) {
      const r = verifySet(netJson, b);
      expect(r.valid).toBe(false);
      expect(r.malformed, JSON.stringify(r)).toBe('certificate');
    }
    expect(verifySet({ format: 'nsad-network' }, cert).malformed).toBe('network');
    // A certificate for another point: relu(carry) at 1 has one tied neuron fewer… none at all.
    const rc = clarkeSet(reluCarryNetwork(), { at: [ZERO] }).certificate;
    const moved = verifySet(networkToJson(reluCarryNetwork()), { ...rc, at: [1] });
    expect(moved.valid).toBe(false);
    expect(moved.reason).toMatch(/tied/);
  });

  it('nsad verify: exit 0 valid, 1 tampered, 2 malformed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nsad-set-'));
    const c = trapCase(12001);
    const netPath = join(dir, 'net.json');
    writeFileSync(netPath, serializeNetwork(c.net));
    const set = clarkeSet(c.net, { at: c.at });
    const ok = join(dir, 'set.json');
    writeFileSync(ok, serializeSetCertificate(set.certificate));
    const r0 = await cli('verify', netPath, ok);
    expect(r0.code).toBe(0);
    expect(r0.out).toMatch(/^valid: the Clarke subdifferential is the convex hull of/);
    const t = SET_MUTATIONS['a vanishing neuron split into two empty cones (the trap)']!(set.certificate) ?? SET_MUTATIONS['a gradient entry changed']!(set.certificate);
    const badPath = join(dir, 'tampered.json');
    writeFileSync(badPath, JSON.stringify(t));
    const r1 = await cli('verify', netPath, badPath);
    expect(r1.code).toBe(1);
    expect(r1.out).toMatch(/^invalid: /);
    const malPath = join(dir, 'malformed.json');
    writeFileSync(malPath, JSON.stringify({ ...set.certificate, tree: 7 }));
    const r2 = await cli('verify', netPath, malPath);
    expect(r2.code).toBe(2);
    expect(r2.error).toMatch(/malformed\.json: .*tree/);
  });
});
