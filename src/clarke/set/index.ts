/**
 * The whole Clarke subdifferential at a point and exact membership in it (docs/theory.md §9):
 * `clarkeSet` enumerates the pieces of F at x̄ with a completeness certificate, `clarkeContains`
 * decides v ∈ ∂^c F(x̄) with convex weights or a separating direction. Both certificates are
 * re-checked by src/verify/set.ts.
 */
export { clarkeSet, DEFAULT_MAX_PIECES, DEFAULT_MAX_HULL, patternString, type ClarkeSet, type ClarkeSetOptions, type SetGradient } from './clarke-set';
export { clarkeContains, type Membership, type MembershipAnswer, type MembershipOptions } from './membership';
export { tiedForms, type TiedForms } from './forms';
