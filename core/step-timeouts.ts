/**
 * How long a browser step may wait on the page, and how soon Temporal gives up on a step that
 * stopped heartbeating. The page's waits are shorter than the heartbeat timeout, so an attempt
 * stuck on a slow page fails by itself before the server could hand its step to another attempt;
 * the step heartbeats throughout (act, dwell, swipe, observe, write), so a live attempt is never
 * taken for a dead one. Shared by the workflow (retry options) and the adapters (page timeouts).
 */
export const STEP_HEARTBEAT_TIMEOUT_MS = 20_000;
/** A click, fill or navigation (Playwright's default timeout on every session page). */
export const PAGE_ACTION_TIMEOUT_MS = 10_000;
/** Waiting for the next video after a swipe. */
export const OBSERVE_TIMEOUT_MS = 15_000;
/** How often a running step heartbeats. */
export const STEP_HEARTBEAT_EVERY_MS = 2_000;
