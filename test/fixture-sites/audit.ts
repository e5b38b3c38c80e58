/** An audit spec for a fixture site: the site's fast clock is the spec's time scale, as on the sandbox. */
import { AuditSpecSchema, type AuditSpec } from '../../core/audit-spec';
import type { Persona } from '../../core/persona';
import type { WebPlatform } from './platforms';

export function fixtureAuditSpec(platform: WebPlatform, persona: Persona, steps: number, timeScale: number): AuditSpec {
  return AuditSpecSchema.parse({
    schemaVersion: 1, platform, persona, accountId: `fixture-${platform}`, cultivationSteps: steps, counterfactualSteps: steps,
    seed: 7, timeScale, policy: 'persona-stat', reversal: { strategy: 'quantile-flip', engagement: 'suppress' },
  });
}
