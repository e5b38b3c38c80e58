/** Task queue names shared by workflows, workers and the CLI. */

/** Workflows, the policy and analysis. */
export const MAIN_TASK_QUEUE = 'personaact';
/** Browser workers poll this to take new sessions; each also polls a queue of its own for them. */
export const BROWSER_TASK_QUEUE = 'personaact-browser';
