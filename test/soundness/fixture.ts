/** The soundness fixtures (test/fixtures/soundness/, written by make-fixtures.ts). */
import { join } from 'node:path';
import { root } from '../helpers/cli';

export const fixture = (name: string): string => join(root, 'test/fixtures/soundness', name);
