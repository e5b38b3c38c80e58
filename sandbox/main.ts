/**
 * Runs the sandbox short-video platform: `tsx sandbox/main.ts [--port 8300] [--time-scale 10] ...`.
 * `personaact dev up` starts it this way; run with --help for every flag.
 */
import { parseArgs } from 'node:util';
import { SandboxConfigSchema } from './config';
import { adminTokenFile, startSandbox } from './server';

const HELP = `Usage: sandbox [options]

The PersonaAct sandbox short-video platform (feed page, JSON API, admin API).

Options:
  --host HOST             address to listen on (default 127.0.0.1)
  --port N                port (default 8300; 0 picks a free one)
  --data-dir DIR          folder for sandbox.db (default .personaact/sandbox; ':memory:' for none)
  --seed TEXT             catalogue seed (default sandbox)
  --video-count N         catalogue size (default 6000)
  --profiles FILE         recommender profiles JSON (default: the built-in sandbox/profiles.json)
  --default-profile NAME  profile of new accounts (default sticky)
  --time-scale X          platform seconds per real second (default 1)
  --captcha-rate P        probability a swipe triggers a slider captcha (default 0)
  --rate-limit N          requests per minute per account, 0 = off (default 1200)
  --admin-token TEXT      the token /admin routes require in x-admin-token (default: one kept in <data-dir>/admin.token, 0600)
  --log-level LEVEL       fatal|error|warn|info|debug|silent (default warn)
  -h, --help              show this help
`;

const FLAGS = {
  host: 'host', port: 'port', 'data-dir': 'dataDir', seed: 'seed', 'video-count': 'videoCount',
  profiles: 'profilesFile', 'default-profile': 'defaultProfile', 'time-scale': 'timeScale',
  'captcha-rate': 'captchaRate', 'rate-limit': 'rateLimitPerMinute', 'admin-token': 'adminToken', 'log-level': 'logLevel',
} as const;

async function main(): Promise<void> {
  const { values } = parseArgs<{ options: Record<string, { type: 'string' | 'boolean'; short?: string }>; strict: true }>({
    options: {
      ...Object.fromEntries(Object.keys(FLAGS).map((flag) => [flag, { type: 'string' as const }])),
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const input = Object.fromEntries(
    Object.entries(FLAGS).filter(([flag]) => values[flag] !== undefined).map(([flag, key]) => [key, values[flag]]),
  );
  const parsed = SandboxConfigSchema.safeParse(input);
  if (!parsed.success) {
    const flagOf = (key: PropertyKey) => Object.entries(FLAGS).find(([, k]) => k === key)?.[0] ?? String(key);
    throw new Error(parsed.error.issues.map((i) => `--${flagOf(i.path[0] ?? '')}: ${i.message}`).join('\n'));
  }
  const server = await startSandbox(parsed.data);
  const tokenFrom = server.config.adminToken ? '--admin-token' : server.config.dataDir === ':memory:' ? 'nowhere (in memory: pass --admin-token)' : adminTokenFile(server.config.dataDir);
  process.stdout.write(`sandbox listening on ${server.url} (time scale ${server.config.timeScale}x, profile ${server.config.defaultProfile}); admin API token: ${tokenFrom}\n`);
  const stop = () => {
    server.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: Error) => {
  process.stderr.write(`sandbox: ${error.message}\n`);
  process.exit(1);
});
