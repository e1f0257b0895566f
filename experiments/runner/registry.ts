/**
 * Name → experiment module, loaded lazily: one experiment whose dependencies are broken must not
 * stop the others (npm start reports it in the claims table instead).
 */
import type { Experiment } from './types';

export const EXPERIMENT_NAMES = ['cheap-gradient', 'directional', 'hardness', 'phase-transition', 'artifacts'] as const;
/**
 * `all` runs EXPERIMENT_NAMES; `selftest` exercises the runner only (tests) and is no claim;
 * `suite` is `nsad run-suite` (experiments/suite.ts), run through the same runner.
 */
export type ExperimentName = (typeof EXPERIMENT_NAMES)[number] | 'selftest' | 'suite';

export const KNOWN_NAMES: readonly ExperimentName[] = [...EXPERIMENT_NAMES, 'selftest', 'suite'];

export function isExperimentName(s: string): s is ExperimentName {
  return (EXPERIMENT_NAMES as readonly string[]).includes(s) || s === 'selftest';
}

export async function loadExperiment(name: ExperimentName): Promise<Experiment> {
  switch (name) {
    case 'cheap-gradient':
      return (await import('../cheap-gradient')).default as unknown as Experiment;
    case 'directional':
      return (await import('../directional')).default as unknown as Experiment;
    case 'hardness':
      return (await import('../hardness')).default as unknown as Experiment;
    case 'phase-transition':
      return (await import('../phase-transition')).default as unknown as Experiment;
    case 'artifacts':
      return (await import('../artifacts')).default as unknown as Experiment;
    case 'selftest':
      return (await import('../selftest')).default as unknown as Experiment;
    case 'suite':
      return (await import('../suite')).default as unknown as Experiment;
  }
}
