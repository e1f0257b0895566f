/**
 * The network families (`nsad generate net-FAMILY`): dispatch on a spec, the command line that
 * reproduces an instance, and the batch (file i of a batch uses seed S + i, as for formulas).
 */
import { UserError } from '../../src/errors';
import { checkGenerationLimits, specArgs } from '../../src/cnf/generate';
import { hiddenLinear } from './hidden-linear';
import { plantedTwo } from './planted-two';
import { doubling } from './doubling';
import { randomTernary } from './random-ternary';
import { reductionOf } from './reduction';
import type { NetFamilySpec, NetInstance } from './types';

export { NET_FAMILIES, type NetFamily, type NetFamilySpec, type NetInstance, type Expected } from './types';

/** Families whose instance does not depend on a seed. */
export function netDeterministic(spec: NetFamilySpec): boolean {
  return spec.family === 'doubling' || (spec.family === 'reduction' && (spec.formula.family === 'php' || spec.formula.family === 'ordering'));
}

/** The options of `nsad generate net-…` that reproduce `spec` (without count, seed, out). */
export function netSpecArgs(spec: NetFamilySpec): string {
  switch (spec.family) {
    case 'hidden-linear':
      return `net-hidden-linear --inputs ${spec.inputs} --kinks ${spec.kinks} --depth ${spec.depth}`;
    case 'planted-two':
      return `net-planted-two --inputs ${spec.inputs} --width ${spec.width} --depth ${spec.depth} --kinks ${spec.kinks}`;
    case 'doubling':
      return `net-doubling --m ${spec.m}`;
    case 'random-ternary':
      return `net-random-ternary --inputs ${spec.inputs} --width ${spec.width} --depth ${spec.depth} --density ${spec.density}`;
    case 'reduction': {
      // `nsad generate net-reduction --formula FAMILY <that family's options>`.
      const [fam, ...rest] = specArgs(spec.formula).split(' ');
      return `net-reduction --formula ${fam} ${rest.join(' ')}`;
    }
  }
}

/** The command that regenerates exactly the instance of `spec` with `seed` (add `--out DIR`). */
export function netCommand(spec: NetFamilySpec, seed: number, count = 1, solve = false): string {
  const s = netDeterministic(spec) ? '' : ` --count ${count} --seed ${seed}`;
  return `nsad generate ${netSpecArgs(spec)}${s}${solve && spec.family === 'reduction' ? ' --solve' : ''}`;
}

/** One instance of `spec` (seed ignored by deterministic families). `solve`: reduction formulas of unknown status get the reference solver's. */
export function generateNet(spec: NetFamilySpec, seed: number, solve = false): NetInstance {
  switch (spec.family) {
    case 'hidden-linear':
      return hiddenLinear(spec, seed);
    case 'planted-two':
      return plantedTwo(spec, seed);
    case 'doubling':
      return doubling(spec.m);
    case 'random-ternary':
      return randomTernary(spec, seed);
    case 'reduction':
      return reductionOf(spec.formula, seed, solve);
  }
}

/** Refuse a batch that cannot be made (count of a deterministic family, seed range). */
export function checkNetBatch(spec: NetFamilySpec, count: number, seed: number): void {
  if (!Number.isSafeInteger(count) || count < 1) throw new UserError(`--count must be a positive integer, got ${count}`);
  if (!Number.isSafeInteger(seed) || !Number.isSafeInteger(seed + count - 1)) throw new UserError(`--seed must be a safe integer (seed + count − 1 too), got ${seed}`);
  if (netDeterministic(spec) && count !== 1) throw new UserError(`net-${spec.family}: the instance is deterministic; --count must be 1`);
}

/**
 * Sizes `nsad generate net-…` builds, per instance: refused up front beyond them (UserError, before
 * any work). Random and planted networks are drawn as dense matrices of exact weights (about 8 bytes
 * an entry), the others neuron by neuron; reductions have the formula limits (src/cnf/generate.ts)
 * and the network limits of the reduction itself.
 */
export const NET_GENERATION_LIMITS = { neurons: 1_000_000, denseWeights: 10_000_000 } as const;

/** Neurons and weight entries drawn for `spec`'s networks (exact counts; hidden-linear: its rows' full length). */
export function netSize(spec: NetFamilySpec): { neurons: number; denseWeights: number } | null {
  switch (spec.family) {
    case 'hidden-linear':
      return { neurons: 2 * spec.kinks * (1 + 2 * spec.depth), denseWeights: 2 * spec.kinks * spec.inputs + 4 * spec.depth * spec.kinks * spec.kinks };
    case 'planted-two':
    case 'random-ternary':
      return { neurons: spec.width * spec.depth, denseWeights: spec.inputs * spec.width + spec.width * spec.width * (spec.depth - 1) + spec.width };
    case 'doubling':
      return { neurons: 8 * spec.m + 4, denseWeights: 0 };
    case 'reduction':
      return null;
  }
}

/** Refuse a spec beyond NET_GENERATION_LIMITS (one line naming the size and the limit). */
export function checkNetLimits(spec: NetFamilySpec): void {
  if (spec.family === 'reduction') {
    checkGenerationLimits(spec.formula);
    return;
  }
  const s = netSize(spec)!;
  if (s.neurons > NET_GENERATION_LIMITS.neurons)
    throw new UserError(`generate ${netSpecArgs(spec).split(' ')[0]}: ${s.neurons} neurons an instance, beyond the limit of ${NET_GENERATION_LIMITS.neurons}`);
  if (s.denseWeights > NET_GENERATION_LIMITS.denseWeights)
    throw new UserError(`generate ${netSpecArgs(spec).split(' ')[0]}: ${s.denseWeights} weights drawn an instance, beyond the limit of ${NET_GENERATION_LIMITS.denseWeights}`);
}
