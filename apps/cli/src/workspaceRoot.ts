import { join } from 'node:path';

/** The repository's root: the CLI runs from its sources (through tsx), never from a build. */
export const WORKSPACE_ROOT = join(__dirname, '..', '..', '..');
