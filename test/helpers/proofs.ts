/** Hand-written proofs shared by the checker's tests. */

/** A one-leaf proof for both signs (p = 1): the leaf bound is closed iff D = G − g·h is ≤ 0 on the whole box. */
export const trivialProof = (sha: string, at: string, gradient: string, extraHeader = ''): string =>
  [
    `{"format":"nsad-clarke-proof","version":1,"network":{"sha256":"${sha}"},"inputDim":1,"at":[${at}],"gradient":[${gradient}],"signs":[1,-1],"box":"[-1,1]^p"${extraHeader}}`,
    '{"tree":1}',
    '["b"]',
    '{"end":1,"nodes":1,"leaves":1}',
    '{"tree":-1}',
    '["b"]',
    '{"end":-1,"nodes":1,"leaves":1}',
  ].join('\n') + '\n';
