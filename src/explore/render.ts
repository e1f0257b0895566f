/**
 * The picture of `nsad explore`, drawn from the exact figure data (./explore.ts): one SVG with two
 * panels — left the activation regions of the slice coloured by gradient, right the Clarke set in
 * gradient space with backprop's vectors marked inside or outside — and a self-contained HTML page
 * around it (inline SVG, inline CSS and a few lines of inline JS for hovering; nothing is fetched).
 *
 * Every number shown in text is exact (a Rational's decimal or a/b form); floats are used only for
 * pixel positions. Each drawn element carries its exact values in `data-info` (shown on hover by
 * the page) and in an SVG `<title>` (the tooltip of the static SVG).
 */
import type { Rational } from '../exact/rational';
import type { Exploration } from './explore';
import type { Point } from './polygon';

const W = 980;
const H = 640;
const SIZE = 420;
const LEFT = { x: 50, y: 80 };
const RIGHT = { x: 530, y: 80 };

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const vec = (v: readonly Rational[]): string => `(${v.join(', ')})`;
const px = (x: number): string => (Math.round(x * 100) / 100).toString();

/** Distinct colours for gradients, in order of first appearance (golden-angle hues). */
const colour = (k: number): string => `hsl(${Math.round((k * 137.508 + 200) % 360)}, 60%, 72%)`;

const MARK = { yes: '#1a7f37', no: '#c62828', undecided: '#777777' } as const;

/** The exact values of a gradient, as a key of the colour map. */
const gradKey = (g: readonly Rational[] | null, slice: readonly Rational[]): string => (g ? g.join(',') : `slice:${slice.join(',')}`);

/** The figure as SVG (static: tooltips through `<title>`; the HTML page adds hovering). */
export function exploreSvg(e: Exploration): string {
  const { slice } = e;
  const R = slice.radius.toNumber();
  const colours = new Map<string, number>();
  const colourOf = (key: string): string => {
    if (!colours.has(key)) colours.set(key, colours.size);
    return colour(colours.get(key)!);
  };
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="13">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);

  // Left: the regions of the slice.
  const sx = (s: number): number => LEFT.x + ((s + R) / (2 * R)) * SIZE;
  const sy = (t: number): number => LEFT.y + ((R - t) / (2 * R)) * SIZE;
  const meeting = slice.regions.filter((r) => r.touchesCenter).length;
  out.push(`<text x="${LEFT.x}" y="${LEFT.y - 40}" font-size="15" font-weight="bold">Activation regions on the slice x̄ + s·D1 + t·D2</text>`);
  out.push(`<text x="${LEFT.x}" y="${LEFT.y - 20}">${slice.regions.length} region(s), ${meeting} meeting x̄; colour = exact gradient</text>`);
  out.push('<g id="regions">');
  slice.regions.forEach((r, k) => {
    const key = gradKey(r.gradient, r.sliceGradient);
    const grad = r.gradient ? `∇F = ${vec(r.gradient)}` : `∇F not determined by the slice (a neuron vanishes on the whole region)`;
    const info = `region ${k + 1}: ${grad}; along (D1, D2): ${vec(r.sliceGradient)}; pattern ${r.pattern || '(none)'}; area ${r.area}${r.touchesCenter ? '; meets x̄' : ''}`;
    const pts = r.polygon.map(([s, t]) => `${px(sx(s.toNumber()))},${px(sy(t.toNumber()))}`).join(' ');
    out.push(`<polygon class="region" data-info="${esc(info)}" points="${pts}" fill="${colourOf(key)}" stroke="#333" stroke-width="0.6"><title>${esc(info)}</title></polygon>`);
  });
  out.push('</g>');
  out.push(`<rect x="${LEFT.x}" y="${LEFT.y}" width="${SIZE}" height="${SIZE}" fill="none" stroke="#000"/>`);
  out.push(`<circle cx="${px(sx(0))}" cy="${px(sy(0))}" r="4" fill="#000" pointer-events="none"/>`);
  out.push(`<text x="${px(sx(0) + 7)}" y="${px(sy(0) - 7)}" pointer-events="none">x̄</text>`);
  const r = slice.radius.toString();
  out.push(`<text x="${LEFT.x}" y="${LEFT.y + SIZE + 16}">s = −${r}</text>`);
  out.push(`<text x="${LEFT.x + SIZE}" y="${LEFT.y + SIZE + 16}" text-anchor="end">s = ${r}</text>`);
  out.push(`<text x="${LEFT.x - 6}" y="${LEFT.y + 12}" text-anchor="end" transform="rotate(-90 ${LEFT.x - 6} ${LEFT.y + 12})">t = ${r}</text>`);
  out.push(`<text x="${LEFT.x + SIZE / 2}" y="${LEFT.y + SIZE + 16}" text-anchor="middle">s (along D1) →</text>`);
  out.push(`<text x="${LEFT.x - 6}" y="${LEFT.y + SIZE / 2}" text-anchor="middle" transform="rotate(-90 ${LEFT.x - 6} ${LEFT.y + SIZE / 2})">t (along D2) →</text>`);

  // Right: the Clarke set in gradient space, and backprop's vectors.
  const all: Point[] = [...e.setPoints, ...e.backprop.map((b) => b.point)];
  const xs = all.map((p) => p[0].toNumber());
  const ys = all.map((p) => p[1].toNumber());
  const lo = [Math.min(...xs), Math.min(...ys)];
  const hi = [Math.max(...xs), Math.max(...ys)];
  const span = Math.max(hi[0]! - lo[0]!, hi[1]! - lo[1]!, 1e-12) * 1.4 || 1;
  const mid = [(lo[0]! + hi[0]!) / 2, (lo[1]! + hi[1]!) / 2];
  const gx = (v: number): number => RIGHT.x + ((v - mid[0]!) / span + 0.5) * SIZE;
  const gy = (v: number): number => RIGHT.y + (0.5 - (v - mid[1]!) / span) * SIZE;
  const [ax, ay] = e.projected ? ['g·D1', 'g·D2'] : ['∂F/∂x1', '∂F/∂x2'];
  const c = e.clarke;
  const status = `${c.gradients.length} gradient(s)${c.extremePoints === null ? '' : `, ${c.extremePoints} extreme`}; ${c.complete ? 'complete' : `PARTIAL (${c.stopped ?? 'stopped'})`}${c.check ? (c.check.valid ? ', checked by the independent verifier' : ', verifier REJECTED') : ''}`;
  out.push(`<text x="${RIGHT.x}" y="${RIGHT.y - 40}" font-size="15" font-weight="bold">Clarke subdifferential ∂ᶜF(x̄) ${e.projected ? 'projected on (D1, D2)' : 'in gradient space'}</text>`);
  out.push(`<text x="${RIGHT.x}" y="${RIGHT.y - 20}">${esc(status)}</text>`);
  out.push(`<rect x="${RIGHT.x}" y="${RIGHT.y}" width="${SIZE}" height="${SIZE}" fill="#fafafa" stroke="#000"/>`);
  const inside = (v: number, a: number): boolean => v >= a && v <= a + SIZE;
  if (inside(gx(0), RIGHT.x)) out.push(`<line x1="${px(gx(0))}" y1="${RIGHT.y}" x2="${px(gx(0))}" y2="${RIGHT.y + SIZE}" stroke="#bbb"/>`);
  if (inside(gy(0), RIGHT.y)) out.push(`<line x1="${RIGHT.x}" y1="${px(gy(0))}" x2="${RIGHT.x + SIZE}" y2="${px(gy(0))}" stroke="#bbb"/>`);
  out.push(`<text x="${RIGHT.x + SIZE}" y="${RIGHT.y + SIZE + 16}" text-anchor="end">${ax} →</text>`);
  out.push(`<text x="${RIGHT.x - 6}" y="${RIGHT.y + 12}" text-anchor="end" transform="rotate(-90 ${RIGHT.x - 6} ${RIGHT.y + 12})">${ay} →</text>`);
  out.push(`<text x="${RIGHT.x}" y="${RIGHT.y + SIZE + 34}" font-size="11" fill="#555">${esc(`${ax} from ${fmt(mid[0]! - span / 2)} to ${fmt(mid[0]! + span / 2)}, ${ay} from ${fmt(mid[1]! - span / 2)} to ${fmt(mid[1]! + span / 2)} (approx.)`)}</text>`);
  const hull = e.setHull.map(([a, b]) => `${px(gx(a.toNumber()))},${px(gy(b.toNumber()))}`).join(' ');
  const hullInfo = `∂ᶜF(x̄): convex hull of ${c.gradients.length} gradient(s)${e.projected ? ' (projected)' : ''}`;
  if (e.setHull.length >= 3) out.push(`<polygon id="clarke-hull" class="clarke" data-info="${esc(hullInfo)}" points="${hull}" fill="#cfe3f7" stroke="#1f4e79" stroke-width="1.5"><title>${esc(hullInfo)}</title></polygon>`);
  else if (e.setHull.length === 2) out.push(`<polyline id="clarke-hull" class="clarke" data-info="${esc(hullInfo)}" points="${hull}" fill="none" stroke="#1f4e79" stroke-width="5" stroke-linecap="round"><title>${esc(hullInfo)}</title></polyline>`);
  out.push('<g id="clarke-set">');
  c.gradients.forEach((g, k) => {
    const [a, b] = e.setPoints[k]!;
    const info = `Clarke set gradient ${k + 1}: ${vec(g.gradient)}${e.projected ? `, projected (${a}, ${b})` : ''}; ${g.patterns.length} piece(s)${g.extreme === null ? '' : g.extreme ? '; extreme point' : '; not extreme'}`;
    const fill = colours.has(g.gradient.join(',')) ? colour(colours.get(g.gradient.join(','))!) : '#fff';
    out.push(`<circle class="set-point" data-info="${esc(info)}" cx="${px(gx(a.toNumber()))}" cy="${px(gy(b.toNumber()))}" r="6" fill="${fill}" stroke="#1f4e79" stroke-width="2"><title>${esc(info)}</title></circle>`);
  });
  out.push('</g><g id="backprop">');
  e.backprop.forEach((bp, k) => {
    const x = gx(bp.point[0].toNumber());
    const y = gy(bp.point[1].toNumber());
    const verdict = bp.membership === 'yes' ? 'inside ∂ᶜF(x̄)' : bp.membership === 'no' ? 'OUTSIDE ∂ᶜF(x̄)' : 'undecided';
    const info = `backprop, relu'(0) = ${bp.reluPrime}: ${vec(bp.gradient)}: ${verdict} (${bp.restsOn})`;
    const col = MARK[bp.membership];
    const d = 6;
    const shape =
      bp.membership === 'no'
        ? `<path d="M${px(x - d)},${px(y - d)}L${px(x + d)},${px(y + d)}M${px(x - d)},${px(y + d)}L${px(x + d)},${px(y - d)}" stroke="${col}" stroke-width="3"/>`
        : `<path d="M${px(x)},${px(y - d - 1)}L${px(x + d + 1)},${px(y)}L${px(x)},${px(y + d + 1)}L${px(x - d - 1)},${px(y)}Z" fill="${col}"/>`;
    out.push(`<g class="backprop" data-membership="${bp.membership}" data-info="${esc(info)}"><title>${esc(info)}</title>${shape}<circle cx="${px(x)}" cy="${px(y)}" r="9" fill="transparent"/>`);
    const flip = x > RIGHT.x + SIZE - 120; // keep the label inside the panel
    out.push(`<text x="${px(flip ? x - 11 : x + 11)}" y="${px(y + 4 + 15 * k - 15)}"${flip ? ' text-anchor="end"' : ''} fill="${col}">relu'(0)=${esc(bp.reluPrime.toString())}: ${bp.membership === 'yes' ? 'in' : bp.membership === 'no' ? 'out' : '?'}</text></g>`);
  });
  out.push('</g>');

  // Legend: the exact facts.
  let y = LEFT.y + SIZE + 58;
  const line = (s: string, attrs = ''): void => {
    out.push(`<text x="${LEFT.x}" y="${y}"${attrs}>${esc(s)}</text>`);
    y += 18;
  };
  line(`x̄ = ${vec(slice.at)}, F(x̄) = ${e.value}; D1 = ${vec(slice.plane[0])}, D2 = ${vec(slice.plane[1])}, s, t ∈ [−${r}, ${r}]`);
  for (const bp of e.backprop) line(`backprop with relu'(0) = ${bp.reluPrime}: ${vec(bp.gradient)} — in ∂ᶜF(x̄): ${bp.membership}`, ` fill="${MARK[bp.membership]}"`);
  if (e.projected) line(`p = ${e.inputDim} > 2: gradient space is projected on (D1, D2); membership is decided in R^${e.inputDim}, not on the projection.`);
  out.push('</svg>');
  return out.join('\n');
}

const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : v.toPrecision(3));

/** The self-contained HTML page: the SVG inline, the exact lists, hovering in a few lines of JS. */
export function exploreHtml(e: Exploration, title = 'nsad explore'): string {
  const c = e.clarke;
  const rows = c.gradients
    .map((g, k) => `<tr><td>${k + 1}</td><td>${esc(vec(g.gradient))}</td><td>${g.patterns.length}</td><td>${g.extreme === null ? '?' : g.extreme ? 'yes' : 'no'}</td><td>${esc(vec(g.direction))}</td></tr>`)
    .join('\n');
  const bps = e.backprop
    .map((b) => `<tr class="${b.membership}"><td>${esc(b.reluPrime.toString())}</td><td>${esc(vec(b.gradient))}</td><td><b>${b.membership}</b></td><td>${esc(b.restsOn)}</td></tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(title)}</title>
<style>
body { font-family: sans-serif; margin: 1.5em; color: #111; max-width: 1000px; }
#info { min-height: 3em; padding: 0.5em; border: 1px solid #ccc; background: #f6f6f6; font-family: monospace; white-space: pre-wrap; }
.region:hover, .region.hover { stroke: #000; stroke-width: 2.5; }
table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 90%; }
td, th { border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: left; }
tr.no td { color: #c62828; } tr.yes td { color: #1a7f37; }
</style>
</head>
<body>
<h1>${esc(title)}</h1>
<p>Exact activation regions of F near x̄ = ${esc(vec(e.slice.at))} (F(x̄) = ${esc(e.value.toString())}) on the slice x̄ + s·D1 + t·D2, and the Clarke subdifferential ∂ᶜF(x̄) with backprop's vectors.
Region boundaries, gradients and memberships are exact (rational arithmetic); only pixel positions are rounded.
${e.projected ? `The network has ${e.inputDim} inputs: the right panel shows gradients projected on (D1, D2), (g·D1, g·D2); a point may look inside the projected set and still be outside ∂ᶜF(x̄) in R<sup>${e.inputDim}</sup> — the verdicts below are decided in R<sup>${e.inputDim}</sup>.` : ''}
Hover a region or a point to see its exact values.</p>
<div id="figure">
${exploreSvg(e)}
</div>
<div id="info">Hover a region or a point.</div>
<h2>Backprop at x̄</h2>
<table><tr><th>relu'(0)</th><th>vector</th><th>in ∂ᶜF(x̄)?</th><th>how it is known</th></tr>
${bps}
</table>
<h2>∂ᶜF(x̄): ${c.gradients.length} gradient(s), ${c.pieces} piece(s), ${c.complete ? 'complete' : `partial (${esc(c.stopped ?? 'stopped')})`}</h2>
<p>${esc(c.restsOn)}</p>
<table><tr><th>#</th><th>gradient</th><th>pieces</th><th>extreme</th><th>a direction selecting it</th></tr>
${rows}
</table>
<script>
(function () {
  var info = document.getElementById('info');
  var items = document.querySelectorAll('[data-info]');
  for (var i = 0; i < items.length; i++) {
    items[i].addEventListener('mouseenter', function (ev) {
      var el = ev.currentTarget;
      info.textContent = el.getAttribute('data-info');
      el.classList.add('hover');
    });
    items[i].addEventListener('mouseleave', function (ev) { ev.currentTarget.classList.remove('hover'); });
  }
})();
</script>
</body>
</html>
`;
}
