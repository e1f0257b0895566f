/**
 * Headless SVG rendering of vega-lite specifications: vega-lite compiles to vega, vega's View
 * with renderer 'none' renders the scenegraph to an SVG string. No browser, no canvas.
 */
// vega and vega-lite are loaded on first use: importing them costs about a second, which every
// `nsad` command would otherwise pay at start-up.
import type * as VL from 'vega-lite';

const DEFAULTS = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  width: 480,
  height: 300,
  background: 'white',
  // Full legend labels and titles (vega's default cuts them at 160 px: "fraction satisfiab…").
  config: { legend: { labelLimit: 0, titleLimit: 0, symbolStrokeWidth: 2 }, axis: { titleLimit: 0, labelLimit: 0 }, title: { limit: 0 } },
};

export async function renderSvg(spec: Record<string, unknown>): Promise<string> {
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  const full = { ...DEFAULTS, ...spec } as unknown as VL.TopLevelSpec;
  const compiled = vl.compile(full).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** A horizontal rule at `y` (e.g. ω_b = 5) as a vega-lite layer. */
export function ruleLayer(y: number, label: string, color = 'firebrick'): Record<string, unknown>[] {
  return [
    { data: { values: [{ y, label }] }, mark: { type: 'rule', color, strokeDash: [6, 4] }, encoding: { y: { field: 'y', type: 'quantitative' } } },
    {
      data: { values: [{ y, label }] },
      mark: { type: 'text', color, align: 'left', dx: 4, dy: -6, x: 0 },
      encoding: { y: { field: 'y', type: 'quantitative' }, text: { field: 'label' } },
    },
  ];
}

/**
 * A line-with-points layer pair whose series differ in color, stroke dash and marker shape, keyed
 * on one nominal field with one merged legend: series that coincide (a fraction equal to another)
 * stay distinguishable, and the legend shows what each looks like.
 */
export function seriesLayers(values: readonly Record<string, unknown>[], x: Record<string, unknown>, y: Record<string, unknown>, field: string, title: string | null = null): Record<string, unknown>[] {
  const color = { field, type: 'nominal', title };
  return [
    { data: { values }, mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y, color, strokeDash: { field, type: 'nominal', title } } },
    { data: { values }, mark: { type: 'point', filled: true, size: 45 }, encoding: { x, y, color, shape: { field, type: 'nominal', title } } },
  ];
}
