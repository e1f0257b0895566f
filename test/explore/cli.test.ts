/**
 * `nsad explore` end to end, in process: the page and the SVG are written, self-contained (no URL
 * fetched), draw every region and the Clarke set, and state backprop's exact verdicts; bad input is
 * one line, exit 2, nothing written.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ok, userError, lines, root } from '../helpers/cli';

const FIXTURE = join(root, 'test/explore/relu-difference-2d.json');
const dir = mkdtempSync(join(tmpdir(), 'nsad-explore-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const count = (text: string, needle: string): number => text.split(needle).length - 1;

describe('nsad explore', () => {
  it('relu(x1) − relu(−x1) + relu(x2) at 0: four regions, the segment {1} × [0, 1], backprop out / in / out', async () => {
    const html = join(dir, 'p.html');
    const svg = join(dir, 'p.svg');
    const out = lines(await ok('explore', FIXTURE, '--at', '0,0', '--out', html, '--svg', svg));
    expect(out.slice(0, 3)).toEqual([
      "backprop relu'(0) = 0: (0, 0) in the Clarke set: no",
      "backprop relu'(0) = 1/2: (1, 1/2) in the Clarke set: yes",
      "backprop relu'(0) = 1: (2, 1) in the Clarke set: no",
    ]);
    const page = readFileSync(html, 'utf8');
    const fig = readFileSync(svg, 'utf8');
    for (const text of [page, fig]) {
      expect(count(text, 'class="region"')).toBe(4);
      expect(count(text, 'class="set-point"')).toBe(2);
      expect(count(text, 'class="backprop"')).toBe(3);
      expect(text).toContain('id="clarke-hull"');
      expect(text).toContain('∇F = (1, 1)');
      expect(text).toContain('∇F = (1, 0)');
    }
    expect(fig.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    // Self-contained: nothing is loaded from elsewhere (the SVG namespace is a name, not a fetch).
    expect(page.replace('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/https?:|src=|href=|@import|url\(/);
  });

  it('three inputs on an oblique plane: projected gradient space, said on the page', async () => {
    const net = join(dir, 'three.json');
    writeFileSync(net, JSON.stringify({ format: 'nsad-network', version: 1, inputDim: 3, layers: [{ weights: [[1, 0, 0], [0, 1, -1], [1, 1, 1]], bias: [0, 0, '-1/2'] }, { weights: [[1, -2, 1]] }] }));
    const html = join(dir, 'three.html');
    await ok('explore', net, '--at', '0,0,0', '--plane', '1,0,0;0,1,1/2', '--radius', '3/4', '--out', html);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('projected on (D1, D2)');
    expect(count(page, 'class="region"')).toBeGreaterThanOrEqual(4);
  });

  it('bad input: one line, exit 2, nothing written', async () => {
    const html = join(dir, 'bad.html');
    const carry = join(root, 'test/fixtures/core/relu-carry.json');
    expect(await userError('explore', carry, '--at', '0', '--out', html)).toMatch(/relu-carry\.json: the network has 1 input/);
    expect(await userError('explore', FIXTURE, '--at', '0,0', '--plane', '1,0;2,0', '--out', html)).toMatch(/--plane: D1 and D2 are linearly dependent/);
    expect(await userError('explore', FIXTURE, '--at', '0,0', '--plane', '1,0,0', '--out', html)).toMatch(/--plane: expected two directions of 2 coordinates/);
    expect(await userError('explore', FIXTURE, '--at', '0,0', '--radius', '-1', '--out', html)).toMatch(/--radius: expected a positive rational/);
    expect(await userError('explore', FIXTURE, '--at', '0,0,0', '--out', html)).toMatch(/--at: expected 2 coordinates/);
    expect(await userError('explore', FIXTURE, '--at', '0,0', '--out', html, '--max-regions', '3')).toMatch(/more than 3 activation regions/);
    expect(await userError('explore', FIXTURE, '--at', '0,0', '--out', FIXTURE)).toMatch(/--out/);
    expect(await userError('explore', FIXTURE, '--at', '0,0', '--out', html, '--svg', html)).toMatch(/same file/);
    expect(existsSync(html)).toBe(false);
  });
});
