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
