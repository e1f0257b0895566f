/**
 * Writes test/fixtures/soundness/* (run once: `npx tsx test/soundness/make-fixtures.ts`; the files
 * are committed). The forged meta is copied from `nsad reduce instances/satlib/uuf50-218/uuf50-01.cnf`.
 */
import { writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serializeNetwork } from '../../src/network/format';
import { reduceFile } from '../../reductions/sat-to-relu';
import { doublingNetwork, forgedMin, forgedHalfRelu } from './networks';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const out = join(root, 'test/fixtures/soundness');
const meta = reduceFile(join(root, 'instances/satlib/uuf50-218/uuf50-01.cnf')).net.meta;
writeFileSync(join(out, 'forged-min.json'), serializeNetwork(forgedMin(meta)));
writeFileSync(join(out, 'forged-half-relu.json'), serializeNetwork(forgedHalfRelu(meta)));
for (const m of [5, 10, 20, 25, 30, 40]) writeFileSync(join(out, `doubling-${m}.json`), serializeNetwork(doublingNetwork(m)));
