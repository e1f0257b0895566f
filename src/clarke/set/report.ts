/**
 * Presentation of a Clarke set and of a membership answer (`nsad clarke --set / --contains`):
 * the JSON value (exact numbers as integers or "a/b" strings) and a Markdown view. Vectors longer
 * than `maxShown` entries are abbreviated in Markdown only; JSON and certificates carry them whole.
 */
import type { Rational } from '../../exact/rational';
import type { ClarkeSet } from './clarke-set';
import type { Membership } from './membership';

const vecText = (v: readonly Rational[], maxShown = 8): string =>
  v.length <= maxShown ? `[${v.map(String).join(', ')}]` : `[${v.slice(0, maxShown).map(String).join(', ')}, …] (${v.length} entries, ${v.filter((x) => !x.isZero()).length} nonzero)`;

const j = (v: readonly Rational[]): Array<number | string> => v.map((x) => x.toJSON());

/** The JSON value of a Clarke set (without its certificate, which is written on its own). */
export function setJson(s: ClarkeSet): Record<string, unknown> {
  return {
    at: j(s.at),
    value: s.value.toJSON(),
    tied: s.tied,
    rank: s.rank,
    complete: s.complete,
    ...(s.stopped ? { stopped: s.stopped } : {}),
    pieces: s.pieces,
    extremePoints: s.extremePoints,
    vanishing: s.vanishing.map((k) => s.tied[k]),
    gradients: s.gradients.map((g) => ({ gradient: j(g.gradient), extreme: g.extreme, patterns: g.patterns, direction: j(g.direction) })),
    restsOn: s.restsOn,
    ...(s.check ? { check: s.check } : {}),
    stats: { ...s.stats, searchMs: Math.round(s.stats.searchMs), hullMs: Math.round(s.stats.hullMs), checkMs: Math.round(s.stats.checkMs), timeMs: Math.round(s.stats.timeMs) },
  };
}

/** The JSON value of a membership answer (without its certificate). */
export function membershipJson(m: Membership): Record<string, unknown> {
  return {
    answer: m.answer,
    vector: j(m.vector),
    at: j(m.at),
    ...(m.combination ? { combination: m.combination.map((c) => ({ weight: c.weight.toJSON(), gradient: j(c.gradient), direction: j(c.direction) })) } : {}),
    ...(m.separation ? { separation: { direction: j(m.separation.direction), value: m.separation.value.toJSON(), bound: m.separation.bound.toJSON() } } : {}),
    restsOn: m.restsOn,
    ...(m.check ? { check: m.check } : {}),
    rounds: m.rounds,
    timeMs: Math.round(m.timeMs),
  };
}

/** Markdown view of a Clarke set: the answer in words, then one row per distinct gradient. */
export function setMarkdown(s: ClarkeSet, title = 'Clarke subdifferential'): string {
  const lines: string[] = [`## ${title}`, ''];
  const tiedText = s.tied.length <= 12 ? s.tied.map(([l, i]) => `(${l}, ${i})`).join(', ') : `${s.tied.slice(0, 12).map(([l, i]) => `(${l}, ${i})`).join(', ')}, …`;
  lines.push(`At x̄ = ${vecText(s.at)}: F(x̄) = ${s.value}; ${s.tied.length} tied neuron(s) [layer, neuron]${s.tied.length > 0 ? ` ${tiedText}` : ''}; reduced dimension ${s.rank}.`, '');
  const ext = s.extremePoints === null ? 'extreme points not classified' : `${s.extremePoints} extreme point(s)`;
  if (s.complete)
    lines.push(
      s.gradients.length === 1
        ? `**∂^c F(x̄) = {g}**, a single gradient: F is differentiable in the Clarke sense here (${s.pieces} piece(s)).`
        : `**∂^c F(x̄) is the convex hull of ${s.gradients.length} gradient(s)** (${s.pieces} piece(s), ${ext}).`,
    );
  else lines.push(`**Partial** (${s.stopped}): ${s.gradients.length} gradient(s) of ∂^c F(x̄) found (${s.pieces} piece(s), ${ext}); others may exist.`);
  if (s.vanishing.length > 0) lines.push('', `Tied neurons vanishing identically near x̄: ${s.vanishing.map((k) => `(${s.tied[k]![0]}, ${s.tied[k]![1]})`).join(', ')}.`);
  lines.push('', `Rests on: ${s.restsOn}.`, '');
  lines.push('| # | gradient | extreme | patterns | direction |', '| ---: | --- | --- | --- | --- |');
  s.gradients.forEach((g, i) => {
    const pats = g.patterns.length <= 3 ? g.patterns.map((p) => `\`${p || '∅'}\``).join(' ') : `${g.patterns.slice(0, 3).map((p) => `\`${p}\``).join(' ')} … (${g.patterns.length})`;
    lines.push(`| ${i} | ${vecText(g.gradient)} | ${g.extreme === null ? '?' : g.extreme ? 'yes' : 'no'} | ${pats} | ${vecText(g.direction)} |`);
  });
  lines.push('', `Patterns: one character per tied neuron in the order above, + active, - inactive, 0 vanishing. Search ${s.stats.nodes} node(s), ${s.stats.lps} LP(s), ${s.stats.empty} empty cone(s); ${(s.stats.timeMs / 1000).toFixed(2)} s.`, '');
  return lines.join('\n');
}

/** Markdown view of a membership answer. */
export function membershipMarkdown(m: Membership): string {
  const lines: string[] = [];
  const v = vecText(m.vector);
  if (m.answer === 'yes') {
    lines.push(`**yes**: v = ${v} ∈ ∂^c F(x̄) (exact).`, '', `v = Σ λ_k g_k over ${m.combination!.length} piece(s):`, '');
    lines.push('| λ | gradient g_k | direction of its piece |', '| --- | --- | --- |');
    for (const c of m.combination!) lines.push(`| ${c.weight} | ${vecText(c.gradient)} | ${vecText(c.direction)} |`);
  } else if (m.answer === 'no') {
    const s = m.separation!;
    lines.push(`**no**: v = ${v} ∉ ∂^c F(x̄) (exact).`, '', `Direction d = ${vecText(s.direction)}: d·v = ${s.value} > ${s.bound} ≥ max over ∂^c F(x̄) of d·g (the Clarke directional derivative F°(x̄; d)).`);
  } else lines.push(`**undecided**: v = ${v}.`);
  lines.push('', `Rests on: ${m.restsOn}.`, '');
  return lines.join('\n');
}
