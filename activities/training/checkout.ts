/**
 * The checkout this worker runs from. The local backend runs trainer/ from it (with its .venv
 * Python), and model manifests record its commit, so both are found relative to this file rather
 * than through infra/ (activities never import infra/: docs/architecture.md, Layers).
 */
import { fileURLToPath } from 'node:url';

export const CHECKOUT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
