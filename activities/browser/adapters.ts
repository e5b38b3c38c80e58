/**
 * Builds a platform's adapter from the registry (core/platforms.ts): the sandbox's own adapter, or
 * the web engine with the platform's site profile. The registry is the only list of platforms; a
 * name it does not know fails with PlatformNotSupported, never retried, whoever started the work.
 */
import { ApplicationFailure } from '@temporalio/common';
import { isPlatform, PLATFORM_NOT_SUPPORTED, platformEntry, unsupportedPlatformMessage, type Platform } from '../../core/platforms';
import type { PlatformAdapter } from './platform-adapter';
import { SandboxAdapter } from './sandbox/adapter';
import { loadSiteProfile, type SiteProfile } from './web/site-profile';
import { WebAdapter } from './web/web-adapter';

/** Where a platform is reached: its real site by default, a fixture site (with its fast clock) in tests. */
export interface SiteOverride {
  url: string;
  /** Site seconds per real second (fixture sites run fast); scales the pacing guard. */
  timeScale?: number;
}

export interface AdapterSites {
  sandboxUrl: string;
  /** Per platform: another origin than the registry's homeUrl (a fixture site, a mirror). */
  sites?: Partial<Record<Platform, SiteOverride>>;
}

const profiles = new Map<string, SiteProfile>();

/** A web platform's site profile, read once per process. */
export function siteProfileOf(platform: Platform): SiteProfile {
  const engine = platformEntry(platform).adapter;
  if (engine.kind !== 'web') throw new Error(`platform "${platform}" is not driven by a site profile`);
  let profile = profiles.get(engine.site);
  if (!profile) {
    profile = loadSiteProfile(engine.site);
    profiles.set(engine.site, profile);
  }
  return profile;
}

export function createAdapter(platform: string, where: AdapterSites): PlatformAdapter {
  if (!isPlatform(platform)) {
    throw ApplicationFailure.create({ type: PLATFORM_NOT_SUPPORTED, message: unsupportedPlatformMessage(platform), nonRetryable: true });
  }
  const entry = platformEntry(platform);
  if (entry.adapter.kind === 'sandbox') return new SandboxAdapter(where.sandboxUrl);
  const override = where.sites?.[platform];
  const baseUrl = override?.url ?? entry.homeUrl;
  if (!baseUrl) throw new Error(`platform "${platform}" has no home URL in the registry`);
  return new WebAdapter(siteProfileOf(platform), { baseUrl, pacing: entry.pacing, ...(override?.timeScale ? { timeScale: override.timeScale } : {}) });
}
