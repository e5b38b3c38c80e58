/**
 * What each fixture site reproduces of its platform: the feed API (path, method, response shape),
 * the page's structure and the challenge responses. Written from the same public sources the site
 * profiles cite (docs/platforms.md), but independently of activities/browser/<platform>/site.json:
 * the adapter contract test only means something if the site is not generated from the profile.
 */
import type { ChallengeKind, Platform } from '../../../core/platforms';

export type WebPlatform = Exclude<Platform, 'sandbox'>;

export interface FixtureItem {
  id: string;
  title: string;
  author: string;
  durationSeconds: number;
  /** Level-1 slug, its Chinese name and level-2 Chinese name (what the platform would tag). */
  category: { slug: string; zh: string; en: string };
  kind: 'video' | 'ad' | 'live';
  /** False for a short whose title carries no hashtag (YouTube Shorts' only labels): the audit's classifier labels it. Absent: tagged. */
  tagged?: boolean;
}

/**
 * HTML templates of the page: `{id}`, `{title}`, `{author}`, `{badge}` (the ad or live badge) are
 * filled in by the page; elements with `data-fx` are what the fixture's page script reacts to
 * (like, comment, comment-send, share, share-send, more, not-interested, solve).
 */
type Html = string;

export interface FixturePlatform {
  api: { path: string; method: 'GET' | 'POST'; graphqlOperation?: string };
  /** The feed response's body in the platform's shape. */
  body(items: FixtureItem[], page: number): unknown;
  /** Responses of the feed API while a challenge is pending. */
  challenge: Record<ChallengeKind, { status: number; body: unknown }>;
  /** Page JavaScript: the page's own reading of its feed body (as the real site's bundle does). */
  readItems: string;
  dom: { item: Html; adBadge: Html; liveBadge: Html };
  /** The comment, share and more (not interested) panels, shown when their buttons are pressed. */
  panels: { comment: Html; share: Html; more?: Html };
  /** What the page shows while a challenge is pending (`{solve}`: a button a person presses). */
  overlays: Record<Exclude<ChallengeKind, 'rate-limit'>, Html>;
  cookie: string;
  /** Whether the platform serves live rooms in the feed. */
  live: boolean;
}

const digits = (n: number, width: number) => String(n).padStart(width, '0');

const RATE_LIMITED = { status: 429, body: { message: 'Too Many Requests' } };

export const FIXTURE_PLATFORMS: Record<WebPlatform, FixturePlatform & { idFor(n: number): string }> = {
  douyin: {
    idFor: (n) => `73${digits(n, 17)}`,
    api: { path: '/aweme/v1/web/tab/feed/', method: 'GET' },
    body: (items, page) => ({
      status_code: 0, has_more: 1, refresh_clear: 0, max_cursor: page,
      aweme_list: items.map((it) => it.kind === 'live'
        ? { aweme_id: it.id, aweme_type: 101, desc: it.title, author: { uid: `u${it.id}`, nickname: it.author }, cell_room: { rawdata: '{}' } }
        : {
          aweme_id: it.id, aweme_type: 0, desc: `${it.title} #${it.category.zh}`, author: { uid: `u${it.id}`, nickname: it.author },
          video: { duration: it.durationSeconds * 1000, play_addr: { url_list: [] } },
          text_extra: [{ type: 1, hashtag_name: it.category.zh }], video_tag: [{ tag_id: 1, tag_name: it.category.zh, level: 1 }],
          is_ads: it.kind === 'ad', statistics: { digg_count: 10, comment_count: 1, share_count: 0 },
        }),
    }),
    challenge: {
      captcha: { status: 200, body: { status_code: 0, aweme_list: [], verify: true } },
      'login-wall': { status: 200, body: { status_code: 0, aweme_list: [] } },
      'rate-limit': RATE_LIMITED,
      'account-blocked': { status: 200, body: { status_code: 2154, status_msg: '账号已被封禁', aweme_list: [] } },
    },
    readItems: '(b) => (b.aweme_list || []).map((x) => ({ id: x.aweme_id, title: x.desc, author: x.author.nickname, ad: Boolean(x.is_ads), live: Boolean(x.cell_room) }))',
    dom: {
      item: '<div data-e2e="feed-item" data-e2e-vid="{id}"><div class="fx-video"></div><div data-e2e="video-desc">{title}</div>'
        + '<div data-e2e="feed-video-nickname">@{author}</div>{badge}<div class="fx-actions"><div data-e2e="video-player-digg" data-fx="like">♥</div>'
        + '<div data-e2e="feed-comment-icon" data-fx="comment">💬</div><div data-e2e="video-player-share" data-fx="share">↗</div>'
        + '<div data-e2e="video-player-more" data-fx="more">…</div></div></div>',
      adBadge: '<span data-e2e="feed-ad-tag">广告</span>', liveBadge: '<span data-e2e="feed-live">直播中</span>',
    },
    panels: {
      comment: '<div data-e2e="comment-input"><div contenteditable="true"></div></div><button data-e2e="comment-post" data-fx="comment-send">发送</button>',
      share: '<button data-e2e="video-share-copy-link" data-fx="share-send">复制链接</button>',
      more: '<button data-e2e="video-not-interested" data-fx="not-interested">不感兴趣</button>',
    },
    overlays: {
      captcha: '<div id="captcha_container"><img id="captcha-verify-image" alt="slider">{solve}</div>',
      'login-wall': '<div id="login-pannel">登录后即可观看更多视频 {solve}</div>',
      'account-blocked': '<div data-e2e="account-banned">账号已被封禁 {solve}</div>',
    },
    cookie: 'sessionid', live: true,
  },
  bilibili: {
    idFor: (n) => `BV1${digits(n, 9)}`.replace(/0/g, 'x'),
    api: { path: '/x/web-interface/wbi/index/top/feed/rcmd', method: 'GET' },
    body: (items) => ({
      code: 0, message: '0', ttl: 1,
      data: {
        item: items.map((it, i) => ({
          id: 1000 + i, bvid: it.kind === 'video' ? it.id : '', goto: it.kind === 'video' ? 'av' : it.kind, uri: `https://www.bilibili.com/video/${it.id}`,
          title: it.title, duration: it.durationSeconds, tname: it.category.zh,
          owner: { mid: 42, name: it.author, face: '' }, stat: { view: 100, like: 10, danmaku: 1 },
          rcmd_reason: { reason_type: 0 }, business_info: it.kind === 'ad' ? { id: 7, title: it.title } : null,
          ...(it.kind === 'live' ? { room_info: { roomid: 1 } } : {}),
        })),
        business_card: null, preload_expose_pct: 0.5,
      },
    }),
    challenge: {
      captcha: { status: 200, body: { code: -352, message: '风控校验失败', ttl: 1, data: { v_voucher: 'voucher' } } },
      'login-wall': { status: 200, body: { code: -101, message: '账号未登录', ttl: 1 } },
      'rate-limit': { status: 200, body: { code: -412, message: '请求被拦截', ttl: 1, data: null } },
      'account-blocked': { status: 200, body: { code: -403, message: '访问权限不足', ttl: 1 } },
    },
    readItems: "(b) => ((b.data && b.data.item) || []).map((x) => ({ id: x.bvid || ('ad' + x.id), title: x.title, author: x.owner.name, ad: x.goto === 'ad', live: x.goto === 'live' }))",
    dom: {
      item: '<div class="bili-video-card"><a href="https://www.bilibili.com/video/{id}/"><div class="fx-video"></div></a>'
        + '<h3 class="bili-video-card__info--tit">{title}</h3><span class="bili-video-card__info--author">{author}</span>{badge}'
        + '<div class="fx-actions"><div class="video-like" data-fx="like">👍</div><div class="video-comment" data-fx="comment">💬</div>'
        + '<div class="video-share" data-fx="share">↗</div><div class="bili-video-card__info--no-interest" data-fx="more">⋮</div></div></div>',
      adBadge: '<span class="bili-video-card__info--ad">广告</span>', liveBadge: '<span class="bili-live-card">直播</span>',
    },
    panels: {
      comment: '<textarea class="reply-box-textarea"></textarea><button class="reply-box-send" data-fx="comment-send">发布</button>',
      share: '<button class="share-copy-link" data-fx="share-send">复制链接</button>',
      more: '<div class="bili-video-card__no-interest-panel"><button class="no-interest-item" data-fx="not-interested">不感兴趣</button></div>',
    },
    overlays: {
      captcha: '<div class="geetest_panel">请完成安全验证 {solve}</div>',
      'login-wall': '<div class="bili-mini-mask">登录 {solve}</div>',
      'account-blocked': '<div class="account-banned">账号封禁中 {solve}</div>',
    },
    cookie: 'SESSDATA', live: true,
  },
  kuaishou: {
    idFor: (n) => `3x${digits(n, 12)}`,
    api: { path: '/graphql', method: 'POST', graphqlOperation: 'brilliantTypeDataQuery' },
    body: (items, page) => ({
      data: {
        brilliantTypeData: {
          result: 1, llsid: 'l1', pcursor: String(page + 1), __typename: 'BrilliantTypeDataResult',
          feeds: items.map((it) => ({
            type: it.kind === 'ad' ? 2 : it.kind === 'live' ? 3 : 1,
            author: { id: `a${it.id}`, name: it.author, __typename: 'User' },
            photo: { id: it.id, caption: it.title, duration: it.durationSeconds * 1000, likeCount: '10', __typename: 'PhotoEntity' },
            tags: [{ type: 1, name: it.category.zh, __typename: 'Tag' }],
            __typename: 'Feed',
          })),
        },
      },
    }),
    challenge: {
      captcha: { status: 200, body: { data: { captcha: { url: '/captcha' } } } },
      'login-wall': { status: 200, body: { data: { brilliantTypeData: { result: 2, feeds: [] } } } },
      'rate-limit': RATE_LIMITED,
      'account-blocked': { status: 200, body: { data: { brilliantTypeData: null, result: 109 } } },
    },
    readItems: '(b) => (((b.data || {}).brilliantTypeData || {}).feeds || []).map((x) => ({ id: x.photo.id, title: x.photo.caption, author: x.author.name, ad: x.type === 2, live: x.type === 3 }))',
    dom: {
      item: '<div class="video-container" data-photo-id="{id}"><div class="fx-video"></div><p class="video-info-title">{title}</p>'
        + '<span class="profile-user-name">{author}</span>{badge}<div class="fx-actions"><div class="like-icon" data-fx="like">♥</div>'
        + '<div class="comment-icon" data-fx="comment">💬</div><div class="share-icon" data-fx="share">↗</div></div></div>',
      adBadge: '<span class="ad-tag">广告</span>', liveBadge: '<span class="live-tag">直播</span>',
    },
    panels: {
      comment: '<div class="comment-input"><textarea></textarea></div><button class="comment-submit" data-fx="comment-send">发送</button>',
      share: '<button class="share-copy-link" data-fx="share-send">复制链接</button>',
    },
    overlays: {
      captcha: '<div id="captcha-container">拖动滑块完成验证 {solve}</div>',
      'login-wall': '<div class="login-dialog">扫码登录 {solve}</div>',
      'account-blocked': '<div class="account-banned">账号已封禁 {solve}</div>',
    },
    cookie: 'passToken', live: true,
  },
  xiaohongshu: {
    idFor: (n) => `6${digits(n, 23)}`.replace(/9/g, 'f'),
    api: { path: '/api/sns/web/v1/homefeed', method: 'POST' },
    body: (items, page) => ({
      code: 0, success: true, msg: '成功',
      data: {
        cursor_score: String(page),
        items: items.map((it) => ({
          id: it.id, model_type: it.kind === 'video' ? 'note' : it.kind === 'ad' ? 'ads' : 'live', xsec_token: 'AB0',
          note_card: {
            type: 'video', display_title: it.title, user: { user_id: `u${it.id}`, nickname: it.author, avatar: '' },
            interact_info: { liked: false, liked_count: '12' }, video: { capa: { duration: it.durationSeconds } },
            tag_list: [{ id: 't1', name: it.category.zh, type: 'topic' }],
          },
        })),
      },
    }),
    challenge: {
      captcha: { status: 461, body: { code: 300011, success: false, msg: '需要验证' } },
      'login-wall': { status: 200, body: { code: -100, success: false, msg: '登录已过期' } },
      'rate-limit': RATE_LIMITED,
      'account-blocked': { status: 200, body: { code: 300012, success: false, msg: 'IP存在风险' } },
    },
    readItems: "(b) => ((b.data && b.data.items) || []).map((x) => ({ id: x.id, title: x.note_card.display_title, author: x.note_card.user.nickname, ad: x.model_type === 'ads', live: x.model_type === 'live' }))",
    dom: {
      item: '<section class="note-item"><a href="/explore/{id}"><div class="fx-video"></div></a><div class="footer"><a class="title"><span>{title}</span></a>'
        + '<div class="author"><span class="name">{author}</span></div></div>{badge}<div class="fx-actions"><span class="like-wrapper" data-fx="like">♡</span>'
        + '<span class="chat-wrapper" data-fx="comment">💬</span><span class="share-wrapper" data-fx="share">↗</span></div></section>',
      adBadge: '<span class="ads-tag">广告</span>', liveBadge: '<span class="live-tag">直播</span>',
    },
    panels: {
      comment: '<p id="content-textarea" contenteditable="true"></p><button class="btn submit" data-fx="comment-send">发送</button>',
      share: '<button class="share-copy-link" data-fx="share-send">复制链接</button>',
    },
    overlays: {
      captcha: '<div class="red-captcha">请完成验证 {solve}</div>',
      'login-wall': '<div class="login-container">登录后查看更多 {solve}</div>',
      'account-blocked': '<div class="account-banned">账号异常 {solve}</div>',
    },
    cookie: 'web_session', live: true,
  },
  tiktok: {
    idFor: (n) => `72${digits(n, 17)}`,
    api: { path: '/api/recommend/item_list/', method: 'GET' },
    body: (items) => ({
      statusCode: 0, hasMore: true,
      itemList: items.map((it) => ({
        id: it.id, desc: `${it.title} #${it.category.slug}`, createTime: 1700000000,
        author: { id: `a${it.id}`, uniqueId: it.author, nickname: it.author },
        video: { duration: it.durationSeconds, ratio: '720p' }, challenges: [{ id: '1', title: it.category.slug }],
        textExtra: [{ hashtagName: it.category.slug, type: 1 }], diversificationLabels: [it.category.en],
        isAd: it.kind === 'ad', ...(it.kind === 'live' ? { liveRoomInfo: { roomID: '1' } } : {}),
        stats: { diggCount: 10, shareCount: 0, commentCount: 1, playCount: 100 },
      })),
    }),
    challenge: {
      captcha: { status: 200, body: { statusCode: 0, itemList: [], verifyConfig: { type: 'verify' } } },
      'login-wall': { status: 200, body: { statusCode: 0, itemList: [] } },
      'rate-limit': RATE_LIMITED,
      'account-blocked': { status: 200, body: { statusCode: 10101, statusMsg: 'account banned', itemList: [] } },
    },
    readItems: '(b) => (b.itemList || []).map((x) => ({ id: x.id, title: x.desc, author: x.author.uniqueId, ad: Boolean(x.isAd), live: Boolean(x.liveRoomInfo) }))',
    dom: {
      item: '<div data-e2e="recommend-list-item-container"><a href="/@{author}/video/{id}"><div class="fx-video"></div></a>'
        + '<div data-e2e="video-desc">{title}</div><h3 data-e2e="video-author-uniqueid">{author}</h3>{badge}<div class="fx-actions">'
        + '<button data-e2e="like-icon" data-fx="like">♥</button><button data-e2e="comment-icon" data-fx="comment">💬</button>'
        + '<button data-e2e="share-icon" data-fx="share">↗</button><button data-e2e="video-more" data-fx="more">…</button></div></div>',
      adBadge: '<span data-e2e="ad-tag">Sponsored</span>', liveBadge: '<span data-e2e="live-tag">LIVE</span>',
    },
    panels: {
      comment: '<div data-e2e="comment-input"><div contenteditable="true"></div></div><button data-e2e="comment-post" data-fx="comment-send">Post</button>',
      share: '<button data-e2e="share-copy-link" data-fx="share-send">Copy link</button>',
      more: '<button data-e2e="not-interested" data-fx="not-interested">Not interested</button>',
    },
    overlays: {
      captcha: '<div id="captcha-verify-container-main-page">Drag the slider to fit the puzzle {solve}</div>',
      'login-wall': '<div id="loginContainer">Log in to TikTok {solve}</div>',
      'account-blocked': '<div data-e2e="account-banned">Your account was permanently banned {solve}</div>',
    },
    cookie: 'sessionid', live: true,
  },
  'youtube-shorts': {
    idFor: (n) => `yt${digits(n, 9)}`,
    api: { path: '/youtubei/v1/reel/reel_watch_sequence', method: 'POST' },
    body: (items) => ({
      responseContext: { visitorData: 'v' },
      entries: items.map((it) => ({
        command: {
          reelWatchEndpoint: {
            videoId: it.id, params: 'p', sequenceParams: 's',
            ...(it.kind === 'ad' ? { adClientParams: { isAd: true } } : {}),
            overlay: { reelPlayerOverlayRenderer: { reelPlayerHeaderSupportedRenderers: { reelPlayerHeaderRenderer: {
              reelTitleText: { runs: [{ text: it.tagged === false ? it.title : `${it.title} #${it.category.slug}` }] }, channelTitleText: { runs: [{ text: it.author }] },
            } } } },
          },
        },
      })),
      continuationEndpoint: { continuationCommand: { token: 'c' } },
    }),
    challenge: {
      captcha: { status: 200, body: { playabilityStatus: { status: 'LOGIN_REQUIRED', reason: "Sign in to confirm you're not a bot" } } },
      'login-wall': { status: 200, body: { entries: [] } },
      'rate-limit': RATE_LIMITED,
      'account-blocked': { status: 200, body: { entries: [] } },
    },
    readItems: '(b) => (b.entries || []).map((x) => { const e = x.command.reelWatchEndpoint; const h = e.overlay.reelPlayerOverlayRenderer.reelPlayerHeaderSupportedRenderers.reelPlayerHeaderRenderer; return { id: e.videoId, title: h.reelTitleText.runs[0].text, author: h.channelTitleText.runs[0].text, ad: Boolean(e.adClientParams), live: false }; })',
    dom: {
      item: '<ytd-reel-video-renderer><a class="reel-link" href="/shorts/{id}"><div class="fx-video"></div></a><h2 class="title">{title}</h2>'
        + '<div id="channel-name">@{author}</div>{badge}<div class="fx-actions"><div id="like-button"><button data-fx="like">👍</button></div>'
        + '<div id="comments-button"><button data-fx="comment">💬</button></div><div id="share-button"><button data-fx="share">↗</button></div>'
        + '<div id="menu-button"><button data-fx="more">⋮</button></div></div></ytd-reel-video-renderer>',
      adBadge: '<ytd-ad-slot-renderer>Sponsored</ytd-ad-slot-renderer>', liveBadge: '',
    },
    panels: {
      comment: '<div id="contenteditable-root" contenteditable="true"></div><div id="submit-button"><button data-fx="comment-send">Comment</button></div>',
      share: '<button id="copy-button" data-fx="share-send">Copy</button>',
      more: '<ytd-menu-service-item-renderer class="not-interested" data-fx="not-interested">Not interested</ytd-menu-service-item-renderer>',
    },
    overlays: {
      captcha: '<div class="bot-check">Sign in to confirm you\'re not a bot {solve}</div>',
      'login-wall': '<ytd-modal-with-title-and-button-renderer class="sign-in">Sign in to keep watching {solve}</ytd-modal-with-title-and-button-renderer>',
      'account-blocked': '<div class="account-terminated">This account has been terminated {solve}</div>',
    },
    cookie: 'SID', live: false,
  },
};
