/**
 * The sandbox platform's web server: the phone-like feed page, the JSON API the page uses, and
 * the admin API with ground truth. Every request body is validated; bad input gets 400 + a message.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import { z } from 'zod';
import { formatZodError } from '../core/schemas';
import { level1 as level1Category } from '../core/taxonomy';
import { generateCatalogue, type Video } from './catalogue';
import { SandboxConfigSchema, type SandboxConfig, type SandboxConfigInput } from './config';
import { PlatformError, SandboxPlatform, type NextResult } from './platform';
import { loadProfiles } from './profiles';
import { RecommenderProfileSchema } from './recommender';
import { SandboxStore } from './store';
import { sameSecret } from '../secrets/same-secret';
import { ensureTokenFile } from '../secrets/private-file';

export const SESSION_COOKIE = 'sandbox_session';

const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));
const page = (name: string): string => readFileSync(join(PUBLIC_DIR, name), 'utf8');

const AccountIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, '1–64 letters, digits, dot, dash or underscore');
const SignInSchema = z.object({
  account: AccountIdSchema, profile: z.string().optional(),
  /** A recommender profile this server was not started with (same shape as a --profiles file's entries). */
  profileDefinition: RecommenderProfileSchema.optional(),
}).strict();
const ActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('like') }).strict(),
  z.object({ type: z.literal('share'), target: z.string().min(1).max(64).default('friend') }).strict(),
  z.object({ type: z.literal('comment'), text: z.string().min(1).max(500) }).strict(),
  z.object({ type: z.literal('not-interested') }).strict(),
]);
const CaptchaSchema = z.object({ position: z.number().min(0).max(100) }).strict();
/** A slow platform, for fault injection: every non-admin response waits `delayMs`, for the next `forMs`. */
const SlowSchema = z.object({ delayMs: z.number().int().min(0).max(120_000), forMs: z.number().int().min(0).max(600_000) }).strict();
/** How long before sending the beacon the page put the video on screen, by the page's clock. */
const ViewSchema = z.object({ shownMsAgo: z.number().min(0).max(60_000).default(0) }).strict();
const ImpressionParamsSchema = z.object({ id: z.coerce.number().int().positive() });
const PageQuerySchema = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
});

class BadRequest extends PlatformError {
  constructor(message: string) {
    super(400, message);
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  throw new BadRequest(`invalid ${what}: ${formatZodError(result.error).split('\n').join('; ')}`);
}

function videoView(video: Video) {
  const l1 = level1Category(video.level1)!;
  const l2 = l1.children.find((c) => c.slug === video.level2)!;
  return {
    id: video.id, title: video.title, durationSeconds: video.durationSeconds, views: video.views,
    creator: { id: video.creatorId, name: video.creatorName },
    level1: { slug: l1.slug, zh: l1.zh, en: l1.en }, level2: { slug: l2.slug, zh: l2.zh, en: l2.en },
    visual: { glyph: l1.glyph, color: l1.color },
  };
}

export interface SandboxServer {
  app: FastifyInstance;
  platform: SandboxPlatform;
  config: SandboxConfig;
  /** Base URL once listening, e.g. http://127.0.0.1:8300 */
  url: string;
  /** What the admin API wants in `x-admin-token` (the configured one, or `<data>/admin.token`). */
  adminToken: string;
  close(): Promise<void>;
}

/**
 * The admin API shows every account's history and can issue captchas, so it always needs a
 * token: the configured one, else one kept in `<data>/admin.token` (0600; a fresh one per process
 * for an in-memory sandbox).
 */
export const adminTokenFile = (dataDir: string) => join(dataDir, 'admin.token');
function adminTokenOf(config: SandboxConfig): string {
  if (config.adminToken) return config.adminToken;
  if (config.dataDir === ':memory:') return randomBytes(24).toString('base64url');
  return ensureTokenFile(adminTokenFile(config.dataDir), 'the sandbox admin token');
}

export async function startSandbox(input: SandboxConfigInput = {}): Promise<SandboxServer> {
  const config = SandboxConfigSchema.parse(input);
  const profiles = loadProfiles(config.profilesFile);
  let dbFile = ':memory:';
  if (config.dataDir !== ':memory:') {
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    dbFile = join(config.dataDir, 'sandbox.db');
  }
  const adminToken = adminTokenOf(config);
  const store = new SandboxStore(dbFile);
  // Impressions refer to video ids, so a data folder stays bound to the catalogue it was made with.
  const catalogueKey = `${config.seed}/${config.videoCount}`;
  const storedKey = store.metaOrInit('catalogue', catalogueKey);
  if (storedKey !== catalogueKey) {
    store.close();
    throw new Error(`${dbFile} was created with catalogue seed/size ${storedKey}, not ${catalogueKey}: use the same --seed/--video-count or another --data-dir`);
  }
  const platform = new SandboxPlatform({
    store, profiles, catalogue: generateCatalogue({ seed: config.seed, videoCount: config.videoCount }),
    defaultProfile: config.defaultProfile, seed: config.seed, timeScale: config.timeScale, captchaRate: config.captchaRate,
  });

  const app = Fastify({ logger: config.logLevel === 'silent' ? false : { level: config.logLevel } });
  // Dwell timestamps are taken when a request arrives, so handler work never counts as watching.
  const arrivedAt = new WeakMap<FastifyRequest, number>();
  let slow: { delayMs: number; until: number } | undefined;
  app.addHook('onRequest', async (request) => {
    arrivedAt.set(request, Date.now());
    if (slow && Date.now() < slow.until && !request.url.startsWith('/admin')) await new Promise((resolve) => setTimeout(resolve, slow?.delayMs ?? 0));
  });
  const arrival = (request: FastifyRequest) => arrivedAt.get(request) ?? Date.now();
  await app.register(cookie);
  await app.register(rateLimit, { global: false });

  app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
    if (error instanceof PlatformError) return reply.status(error.status).send({ error: error.message });
    const status = error.statusCode ?? 500;
    if (status >= 500) app.log.error(error);
    return reply.status(status).send({ error: status >= 500 ? 'internal error' : error.message });
  });
  app.setNotFoundHandler((request, reply) => reply.status(404).send({ error: `no route ${request.method} ${request.url}` }));

  const limited = {
    rateLimit: config.rateLimitPerMinute > 0 && {
      max: config.rateLimitPerMinute,
      timeWindow: 60_000,
      keyGenerator: (request: FastifyRequest) => request.cookies[SESSION_COOKIE] ?? request.ip,
      // The plugin throws what this returns; the error handler turns it into {error}.
      errorResponseBuilder: (_request: FastifyRequest, context: { after: string }) =>
        Object.assign(new Error(`rate limited: too many requests, retry after ${context.after}`), { statusCode: 429 }),
    },
  };

  const signedIn = (request: FastifyRequest): string => {
    const token = request.cookies[SESSION_COOKIE];
    const account = token ? platform.accountForSession(token) : undefined;
    if (!account) throw new PlatformError(401, 'not signed in: POST /api/signin first');
    return account;
  };
  const requireAdmin = async (request: FastifyRequest) => {
    const presented = request.headers['x-admin-token'];
    if (!sameSecret(typeof presented === 'string' ? presented : undefined, adminToken)) {
      throw new PlatformError(401, 'admin API needs the x-admin-token header (the sandbox\'s admin token: --admin-token, or <data>/admin.token)');
    }
  };
  const feedReply = (reply: FastifyReply, result: NextResult) =>
    result.kind === 'challenge'
      ? reply.status(409).send({ error: 'captcha required', challenge: result.challenge })
      : reply.send({
          impressionId: result.served.impressionId, seq: result.served.seq,
          servedAt: new Date(result.served.servedAt).toISOString(), timeScale: config.timeScale,
          video: videoView(result.served.video),
        });

  app.get('/healthz', async () => ({ ok: true }));

  const loginPage = page('login.html');
  const feedPage = page('feed.html');
  app.get('/login', async (_request, reply) => reply.type('text/html; charset=utf-8').send(loginPage));
  app.get('/', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (!token || !platform.accountForSession(token)) return reply.redirect('/login');
    return reply.type('text/html; charset=utf-8').send(feedPage);
  });
  for (const asset of ['feed.js', 'style.css']) {
    const body = page(asset);
    const type = asset.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8';
    app.get(`/${asset}`, async (_request, reply) => reply.type(type).send(body));
  }

  app.post('/api/signin', { config: limited }, async (request, reply) => {
    const body = parse(SignInSchema, request.body, 'sign-in');
    const { token, created } = platform.signIn(body.account, body.profile, body.profileDefinition);
    reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax' });
    return { account: body.account, created };
  });
  app.post('/api/signout', { config: limited }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) platform.signOut(token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });
  // Public: a client must know the platform's clock to time its dwells (not worth an admin token).
  app.get('/api/clock', async () => ({ timeScale: config.timeScale }));

  app.get('/api/me', { config: limited }, async (request) => {
    const account = signedIn(request);
    const interests = platform.interests(account);
    return { account, profile: interests.profile, impressions: interests.impressions, timeScale: config.timeScale };
  });
  app.get('/api/feed/current', { config: limited }, async (request, reply) => feedReply(reply, platform.current(signedIn(request))));
  app.post('/api/feed/next', { config: limited }, async (request, reply) =>
    feedReply(reply, platform.next(signedIn(request), arrival(request))));
  app.post('/api/impressions/:id/actions', { config: limited }, async (request) => {
    const account = signedIn(request);
    const { id } = parse(ImpressionParamsSchema, request.params, 'impression id');
    platform.act(account, id, parse(ActionSchema, request.body, 'action'));
    return { ok: true };
  });
  app.post('/api/impressions/:id/view', { config: limited }, async (request) => {
    const { id } = parse(ImpressionParamsSchema, request.params, 'impression id');
    const { shownMsAgo } = parse(ViewSchema, request.body, 'impression beacon');
    platform.markShown(signedIn(request), id, arrival(request) - shownMsAgo);
    return { ok: true };
  });
  app.post('/api/captcha', { config: limited }, async (request) => {
    const account = signedIn(request);
    platform.solveCaptcha(account, parse(CaptchaSchema, request.body, 'captcha answer').position);
    return { ok: true };
  });

  await app.register(async (admin) => {
    admin.addHook('onRequest', requireAdmin);
    admin.get('/admin/config', async () => ({
      seed: config.seed, videoCount: config.videoCount, timeScale: config.timeScale, captchaRate: config.captchaRate,
      rateLimitPerMinute: config.rateLimitPerMinute, defaultProfile: config.defaultProfile,
      profiles: [...profiles.values()],
    }));
    admin.get('/admin/accounts', async () => ({ accounts: store.listAccounts() }));
    admin.get('/admin/accounts/:account/impressions', async (request) => {
      const { account } = parse(z.object({ account: AccountIdSchema }), request.params, 'account');
      const { offset, limit } = parse(PageQuerySchema, request.query, 'query');
      return { account, offset, impressions: platform.impressions(account, offset, limit) };
    });
    admin.get('/admin/accounts/:account/interests', async (request) => {
      const { account } = parse(z.object({ account: AccountIdSchema }), request.params, 'account');
      return platform.interests(account);
    });
    admin.post('/admin/slow', async (request) => {
      const { delayMs, forMs } = parse(SlowSchema, request.body, 'slow');
      slow = { delayMs, until: Date.now() + forMs };
      return { ok: true, delayMs, until: new Date(slow.until).toISOString() };
    });
    admin.post('/admin/accounts/:account/challenge', async (request) => {
      const { account } = parse(z.object({ account: AccountIdSchema }), request.params, 'account');
      return { challenge: platform.issueChallenge(account, `admin/${Date.now()}`) };
    });
    admin.delete('/admin/accounts/:account/challenge', async (request) => {
      const { account } = parse(z.object({ account: AccountIdSchema }), request.params, 'account');
      platform.clearChallenge(account);
      return { ok: true };
    });
    admin.get('/admin/videos/:id', async (request) => {
      const { id } = parse(z.object({ id: z.string() }), request.params, 'video id');
      const video = platform.options.catalogue.byId.get(id);
      if (!video) throw new PlatformError(404, `no video ${id}`);
      return video;
    });
    admin.get('/admin/catalogue', async () => {
      const { catalogue } = platform.options;
      return {
        seed: catalogue.seed, videos: catalogue.videos.length, creators: catalogue.creators.length,
        byLevel1: Object.fromEntries([...catalogue.byLevel1].map(([slug, videos]) => [slug, videos.length])),
      };
    });
  });

  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return {
    app, platform, config,
    url: `http://${config.host}:${port}`,
    adminToken,
    close: async () => {
      await app.close();
      store.close();
    },
  };
}
