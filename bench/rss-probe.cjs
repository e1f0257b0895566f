// Preloaded into a child `nsad` process by bench/network-scale.ts (NODE_OPTIONS=--require …):
// at exit, writes the process's peak resident set size (kB, getrusage ru_maxrss) to the file
// named by NSAD_RSS_OUT, so the benchmark can report peak memory without an external `time`.
'use strict';
const out = process.env.NSAD_RSS_OUT;
if (out) {
  process.on('exit', () => {
    require('node:fs').writeFileSync(out, JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS }));
  });
}
