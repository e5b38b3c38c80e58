/** Sandbox server settings, parsed once with zod from flags (see main.ts) or from tests. */
import { z } from 'zod';

export const SandboxConfigSchema = z.object({
  host: z.string().default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(8300),
  /** Folder for sandbox.db; ':memory:' keeps everything in memory (tests, benchmarks). */
  dataDir: z.string().min(1).default('.personaact/sandbox'),
  seed: z.string().min(1).default('sandbox'),
  videoCount: z.coerce.number().int().min(100).max(200_000).default(6000),
  /** JSON file of recommender profiles; the built-in file when omitted. */
  profilesFile: z.string().optional(),
  defaultProfile: z.string().default('sticky'),
  /** Platform seconds per real second. 10 = a 15 s view takes 1.5 s of wall time. */
  timeScale: z.coerce.number().positive().max(1000).default(1),
  /** Probability that a swipe is answered with a slider captcha. */
  captchaRate: z.coerce.number().min(0).max(1).default(0),
  /** Requests per minute per signed-in account (or address); 0 turns rate limiting off. */
  rateLimitPerMinute: z.coerce.number().int().min(0).default(1200),
  /** When set, the admin API requires the header `x-admin-token`. */
  adminToken: z.string().optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'silent']).default('warn'),
});
export type SandboxConfig = z.infer<typeof SandboxConfigSchema>;
export type SandboxConfigInput = z.input<typeof SandboxConfigSchema>;
