/**
 * Audits on the fixture sites: one stack (Temporal, workers) whose browser workers reach every
 * real platform's fixture site, and one audit per platform at the sites' fast clock. Shared by
 * test/workflows/audit-real-platforms.test.ts and bench/platforms.ts.
 */
import { loadPhaseRecords } from '../../../activities/analysis/analyze-audit';
import { saveStorageState } from '../../../activities/accounts/storage-state';
import { AuditSpecSchema, type AuditSpec } from '../../../core/audit-spec';
import type { InteractionRecord } from '../../../core/interaction-record';
import type { Persona } from '../../../core/persona';
import { runAudit } from '../../../clients/audit';
import type { AuditResult } from '../../../workflows/audit';
import { startAuditStack, type AuditStack } from '../audit-stack';
import { FIXTURE_PLATFORMS, type WebPlatform } from './platforms';
import { startFixtureSite, type FixtureSite } from './server';

export const WEB_PLATFORMS = Object.keys(FIXTURE_PLATFORMS) as WebPlatform[];

export const fixtureAccountId = (platform: WebPlatform) => `fixture-${platform}`;

/** The site's fast clock is the spec's time scale, as on the sandbox. */
export function fixtureAuditSpec(platform: WebPlatform, persona: Persona, steps: number, timeScale: number): AuditSpec {
  return AuditSpecSchema.parse({
    schemaVersion: 1, platform, persona, accountId: fixtureAccountId(platform), cultivationSteps: steps, counterfactualSteps: steps,
    seed: 7, timeScale, policy: 'persona-stat', reversal: { strategy: 'quantile-flip', engagement: 'suppress' },
  });
}

export interface FixtureStack {
  stack: AuditStack;
  sites: Map<WebPlatform, FixtureSite>;
  stop(): Promise<void>;
}

export async function startFixtureStack(timeScale: number): Promise<FixtureStack> {
  const sites = new Map<WebPlatform, FixtureSite>();
  for (const platform of WEB_PLATFORMS) sites.set(platform, await startFixtureSite(platform, { timeScale }));
  const stack = await startAuditStack({
    timeScale, maxSessions: WEB_PLATFORMS.length,
    sites: Object.fromEntries([...sites].map(([platform, site]) => [platform, { url: site.url, timeScale: site.timeScale }])),
  });
  // Each platform's fixture account is signed in (its session cookie saved, as `account login` saves it): the session preflight lets it in.
  for (const [platform, site] of sites) {
    const cookie = { name: FIXTURE_PLATFORMS[platform].cookie, value: 'fixture', domain: new URL(site.url).hostname, path: '/', expires: -1, httpOnly: true, secure: false, sameSite: 'Lax' as const };
    await saveStorageState(stack.store, stack.keyring, platform, fixtureAccountId(platform), { cookies: [cookie], origins: [] });
  }
  return {
    stack, sites,
    async stop() {
      await stack.stop();
      for (const site of sites.values()) await site.close();
    },
  };
}

export interface FixtureAudit {
  platform: WebPlatform;
  result: AuditResult;
  records: Record<'cultivation' | 'counterfactual', InteractionRecord[]>;
  seconds: number;
}

export async function runFixtureAudit(fixtures: FixtureStack, platform: WebPlatform, persona: Persona, steps: number): Promise<FixtureAudit> {
  const site = fixtures.sites.get(platform)!;
  const auditId = `audit-fixture-${platform}-${steps}`;
  const started = performance.now();
  const result = await runAudit(fixtures.stack.env.client, {
    schemaVersion: 1, auditId, spec: fixtureAuditSpec(platform, persona, steps, site.timeScale), screenshots: false,
  });
  const seconds = (performance.now() - started) / 1000;
  const store = fixtures.stack.store;
  return {
    platform, result, seconds,
    records: { cultivation: await loadPhaseRecords(store, auditId, 'cultivation'), counterfactual: await loadPhaseRecords(store, auditId, 'counterfactual') },
  };
}
