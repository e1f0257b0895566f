/**
 * The page of `nsad explore` in a real browser: Debian's headless Chromium driven by puppeteer-core
 * (which downloads no browser). Runs when NSAD_HEAVY=1 and /usr/bin/chromium exists (CI installs it,
 * .ci/run); skipped otherwise, with the reason in the test name. Opens the page of
 * relu(x1) − relu(−x1) + relu(x2) (relu2 − relu's idea in two inputs) and of relu(carry) in two
 * inputs from a file:// URL with every network request refused, checks that the regions and the
 * Clarke set are drawn with a nonzero size, hovers a region and reads its exact gradient, and saves
 * a screenshot.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ZERO } from '../../src/exact/rational';
import { networkOf } from '../../src/network/network';
import { readNetworkFile } from '../../src/network/format';
import { explore, exploreHtml } from '../../src/explore';
import { root } from '../helpers/cli';

const CHROMIUM = '/usr/bin/chromium';
const HEAVY = process.env.NSAD_HEAVY === '1';
const HAVE = existsSync(CHROMIUM);
const reason = !HEAVY ? 'skipped: set NSAD_HEAVY=1' : !HAVE ? `skipped: ${CHROMIUM} not found (apt-get install -y chromium)` : 'headless Chromium';

const dir = mkdtempSync(join(tmpdir(), 'nsad-explore-browser-'));
afterAll(() => {
  if (process.env.NSAD_KEEP_SCREENSHOTS !== '1') rmSync(dir, { recursive: true, force: true });
});

/** Write the page of `net` at 0 and return its path and the figure data. */
function page(name: string, net: ReturnType<typeof networkOf>): { path: string; regions: number; setPoints: number; meeting: string[] } {
  const e = explore(net, { at: [ZERO, ZERO] });
  const path = join(dir, `${name}.html`);
  writeFileSync(path, exploreHtml(e, name));
  return { path, regions: e.slice.regions.length, setPoints: e.clarke.gradients.length, meeting: e.slice.regions.filter((r) => r.touchesCenter).map((r) => r.gradient!.join(', ')) };
}

describe.skipIf(!HEAVY || !HAVE)(`explore page in a real browser (${reason})`, () => {
  it('draws the regions and the Clarke set, shows an exact gradient on hover, and saves a screenshot', async () => {
    const { default: puppeteer } = await import('puppeteer-core');
    const browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${join(dir, 'profile')}`],
    });
    try {
      const pages = [
        page('relu-difference', readNetworkFile(join(root, 'test/explore/relu-difference-2d.json'))),
        // relu(relu(x1) − relu(−x1)) + relu(x2): relu(carry) in two inputs; Clarke set [0, 1]².
        page('relu-carry-2d', networkOf(2, [[[1, 0], [-1, 0], [0, 1]], [[1, -1, 0], [0, 0, 1]], [[1, 1]]])),
      ];
      for (const p of pages) {
        const tab = await browser.newPage();
        await tab.setViewport({ width: 1050, height: 1100 });
        // Self-contained: any request other than the page itself fails the test.
        const foreign: string[] = [];
        await tab.setRequestInterception(true);
        tab.on('request', (req) => {
          if (req.url() === pathToFileURL(p.path).href) void req.continue();
          else {
            foreign.push(req.url());
            void req.abort();
          }
        });
        const errors: string[] = [];
        tab.on('pageerror', (err) => errors.push(String(err)));
        await tab.goto(pathToFileURL(p.path).href, { waitUntil: 'load' });
        // In the page (a string: the project's TypeScript has no DOM types): the drawn size of each element.
        const drawn = (await tab.evaluate(`(() => {
          const size = (sel) => Array.from(document.querySelectorAll(sel)).map((el) => { const b = el.getBBox(); return b.width * b.height + b.width + b.height; });
          return { regions: size('.region'), set: size('.set-point'), hull: size('#clarke-hull'), backprop: size('.backprop') };
        })()`)) as { regions: number[]; set: number[]; hull: number[]; backprop: number[] };
        expect(drawn.regions.length, p.path).toBe(p.regions);
        expect(drawn.regions.every((a) => a > 0)).toBe(true);
        expect(drawn.set.length).toBe(p.setPoints);
        expect(drawn.hull.length === 1 && drawn.hull[0]! > 0).toBe(true);
        expect(drawn.backprop.length).toBe(3);
        const before = await tab.$eval('#info', (el) => el.textContent);
        expect(before).toBe('Hover a region or a point.');
        // Hover each region meeting x̄ in turn: the info box shows its exact gradient.
        const handles = await tab.$$('.region');
        const shown: string[] = [];
        for (const h of handles) {
          await h.hover();
          shown.push((await tab.$eval('#info', (el) => el.textContent)) ?? '');
        }
        expect(shown.every((s) => /^region \d+: ∇F = \(/.test(s)), shown.join('\n')).toBe(true);
        for (const g of p.meeting) expect(shown.some((s) => s.includes(`∇F = (${g})`) && s.endsWith('meets x̄')), g).toBe(true);
        const shot = p.path.replace(/\.html$/, '.png');
        await tab.screenshot({ path: shot as `${string}.png`, fullPage: true });
        expect(statSync(shot).size).toBeGreaterThan(10_000);
        expect(foreign).toEqual([]);
        expect(errors).toEqual([]);
        await tab.close();
      }
    } finally {
      await browser.close();
    }
  }, 120_000);
});
