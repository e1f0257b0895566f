/**
 * The picture of a point (`nsad explore`): the exact activation regions of F on a 2-D slice through
 * x̄, the Clarke set ∂^c F(x̄) and backprop's vectors with exact membership, drawn as one
 * self-contained HTML page and as SVG.
 */
export { explore, type Exploration, type ExploreOptions, type BackpropPoint } from './explore';
export { sliceRegions, independent, DEFAULT_MAX_REGIONS, type Slice, type SliceOptions, type SliceRegion } from './regions';
export { exploreSvg, exploreHtml } from './render';
export { convexHull, clipHalfPlane, area, type Point } from './polygon';
