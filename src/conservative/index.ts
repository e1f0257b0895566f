/** The conservative side (docs/theory.md §5) and the cheap Clarke subgradient (docs/theory.md §2 claim 5). */
export { decideConservative, type ConservativeAnswer, type ConservativeOptions, type ConservativeMethod } from './decide';
export { clarkeOne, type ClarkeOneResult } from './clarke-one';
export { reachability, pathFrom, pathElement, type Reachability } from './reachability';
export { spanIdentity, Echelon, type SpanResult } from './span';
export { szDiffers, szErrorBound } from './schwartz-zippel';
export { greedyWitness } from './witness';
export { patternAt, choicesOf, phi, freePositions, ACTIVE, INACTIVE, FREE, type DiagPattern } from './pattern';
