/** Which platforms the code can audit today: a browser worker has an adapter for each (workers/create-workers.ts adapterFor). */
import type { Platform } from './observation';

export const PLATFORMS_WITH_ADAPTER: readonly Platform[] = ['sandbox'];
