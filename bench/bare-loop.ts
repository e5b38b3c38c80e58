/**
 * The baseline for bench:audit: the same interactions (persona-stat decisions, the sandbox
 * adapter, the same dwell rule) driven by a plain Playwright loop in this process — no Temporal,
 * no records, no screenshots — so the cost of durability per interaction is a measured ratio.
 */
import type { Persona } from '../core/persona';
import type { Phase } from '../core/interaction-record';
import { DEFAULT_CHROMIUM, launchChromium } from '../activities/browser/chromium';
import { SandboxAdapter } from '../activities/browser/sandbox/adapter';
import { SessionPool } from '../activities/browser/session-pool';
import { createPolicyActivities } from '../activities/policy/activities';

export interface BareStep {
  intendedRealMs: number;
  decisionLatencyMs: number;
  /** performance.now() right after the swipe. */
  swipedAt: number;
}

export async function runBareLoop(options: {
  sandboxUrl: string; persona: Persona; steps: number; timeScale: number; accountId: string; seed: string | number;
}): Promise<BareStep[]> {
  const pool = new SessionPool(() => launchChromium({ executablePath: DEFAULT_CHROMIUM }), 1);
  const adapter = new SandboxAdapter(options.sandboxUrl);
  const { decide } = createPolicyActivities();
  const out: BareStep[] = [];
  try {
    const session = await pool.open('sandbox', options.accountId, adapter);
    await adapter.open(session.page, options.accountId);
    let observed = await adapter.observe(session.page);
    for (const phase of ['cultivation', 'counterfactual'] as Phase[]) {
      for (let index = 0; index < options.steps; index++) {
        const appearedAt = performance.now() - observed.onScreenMs;
        const { decision, latencyMs } = await decide({
          policy: 'persona-stat', persona: options.persona, observation: observed.observation, seed: options.seed, phase, index,
          ...(phase === 'counterfactual' ? { reversal: { strategy: 'quantile-flip', engagement: 'suppress' } } : {}),
        });
        await adapter.act(session.page, decision);
        const intendedRealMs = (decision.watchSeconds * 1000) / options.timeScale;
        const left = intendedRealMs - (performance.now() - appearedAt);
        if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
        await adapter.next(session.page);
        out.push({ intendedRealMs, decisionLatencyMs: latencyMs, swipedAt: performance.now() });
        observed = await adapter.observe(session.page, observed.key);
      }
    }
  } finally {
    await pool.closeAll();
  }
  return out;
}

/** Wall time of step i beyond its dwell and decision: from the previous swipe to this one (as bench:audit measures its own). */
export function bareOverheads(steps: readonly BareStep[]): number[] {
  return steps.slice(1).map((step, i) => step.swipedAt - steps[i]!.swipedAt - step.intendedRealMs - step.decisionLatencyMs);
}
