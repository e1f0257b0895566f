/**
 * Network families with known Clarke answers (issue 21): what a generated instance is. Each family
 * is one module of this folder; `./index.ts` dispatches, `./evidence.ts` checks every answer at
 * generation with the independent verifier (src/verify), `./suite.ts` writes suites.
 */
import type { Rational } from '../../src/exact/rational';
import type { Network } from '../../src/network/network';
import type { ClarkeCertificate } from '../../src/certificate/certificate';
import type { FamilySpec } from '../../src/cnf/generate';
import type { ManifestEntry } from '../../src/cnf/manifest';

/** The Clarke question's answer at x̄: two distinct elements, a singleton, or not known. */
export type Expected = 'two' | 'singleton' | 'unknown';

/** A network family and its knobs (the options of `nsad generate net-FAMILY`). */
export type NetFamilySpec =
  | { family: 'hidden-linear'; inputs: number; kinks: number; depth: number }
  | { family: 'planted-two'; inputs: number; width: number; depth: number; kinks: number }
  | { family: 'doubling'; m: number }
  | { family: 'random-ternary'; inputs: number; width: number; depth: number; density: number }
  | { family: 'reduction'; formula: FamilySpec };

export type NetFamily = NetFamilySpec['family'];

/** The network families, in the order of `nsad generate`'s help (each written `net-FAMILY`). */
export const NET_FAMILIES: readonly NetFamily[] = ['hidden-linear', 'planted-two', 'doubling', 'random-ternary', 'reduction'];

/**
 * One generated network with what is known about ∂^c F(x̄) before any decision procedure runs:
 * the answer the construction fixes (or 'unknown' for the families whose answer is computed),
 * the argument, and the construction's own certificate when it has one.
 */
export interface NetInstance {
  /** File stem, unique within a batch (seed included for seeded families). */
  name: string;
  family: NetFamily;
  params: Record<string, number | string | boolean>;
  /** null for deterministic families (doubling). */
  seed: number | null;
  net: Network;
  /** x̄ (0 for every family but planted-two). */
  at: Rational[];
  expected: Expected;
  /** Why the answer is what it is (the construction's argument, docs/theory.md sections). */
  construction: string;
  /** A certificate of `two` given by the construction itself (checked by src/verify at generation). */
  certificate?: ClarkeCertificate;
  /** The formula of a reduction instance: its DIMACS text and CNF manifest entry. */
  formula?: { text: string; entry: ManifestEntry };
  /** Exact facts worth recording (vectors as strings "a/b"): e.g. what backprop returns at 0. */
  facts?: Record<string, string | string[] | number | boolean>;
  /** Whether the network was built by the SAT reduction (the decision may use the reduction rule). */
  reduction?: boolean;
}
