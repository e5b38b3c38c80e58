#!/usr/bin/env node
// The `personaact` command: registers tsx so the TypeScript sources run as they are, then runs
// cli/main.ts. Resolved from this file's location, so it works from any working directory.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
