/**
 * What the logs cannot say about users `a` and `b`: the narrative, traits and category
 * affinities. The logs carry no categories, so these are ASSUMPTIONS, written to fit each
 * user's platform and logged behaviour, until the persona/interview stage derives them from an
 * interview. Every level-1 category has a value (the build checks it) so the persona-stat policy
 * never falls back to its neutral default.
 */
export interface ExampleProfile {
  readonly user: string;
  readonly name: string;
  /** First person, no numbers: the statistics speak for themselves. */
  readonly narrative: string;
  readonly traits: Readonly<Record<string, string>>;
  readonly categoryAffinities: Readonly<Record<string, number>>;
  /** Why these affinities: the assumption, stated where the persona document keeps it. */
  readonly assumption: string;
}

export const EXAMPLE_PROFILES: readonly ExampleProfile[] = [
  {
    user: 'a',
    name: 'User a (Douyin)',
    narrative:
      'I scroll Douyin to unwind, in short bursts. I decide almost at once whether a clip is worth it: ' +
      'if it does not make me laugh or show me something tasty, I swipe on. Comedy sketches, funny animals, ' +
      'food and celebrity clips keep me watching, though seldom for long. I rarely like a video, never comment, ' +
      'and only now and then share something with my partner. Ads I swipe away at once, and news, finance or ' +
      'long explanations are not why I open the app.',
    traits: {
      platform: 'Douyin',
      pace: 'fast scroller: judges a video in its first seconds and leaves most of them early',
      engagement: 'likes sparingly, shares rarely, does not comment',
      interests: 'light entertainment: comedy, food, celebrities, pets (assumed, not in the logs)',
    },
    categoryAffinities: {
      'entertainment': 0.8, 'knowledge-education': 0.3, 'food': 0.75, 'gaming': 0.35, 'anime-acg': 0.25,
      'ads-promotion': 0.05, 'music': 0.6, 'dance': 0.55, 'film-tv': 0.6, 'sports': 0.35,
      'tech-digital': 0.25, 'cars': 0.2, 'fashion-beauty': 0.45, 'travel-outdoors': 0.5, 'pets-animals': 0.7,
      'daily-life': 0.65, 'comedy': 0.85, 'news-current-affairs': 0.25, 'finance': 0.15, 'health-fitness': 0.3,
      'parenting-family': 0.2, 'home-diy': 0.3, 'emotion-relationships': 0.5, 'rural-agriculture': 0.2, 'art-design': 0.3,
    },
    assumption:
      'User a watched only on Douyin; the affinities assume the light-entertainment diet typical of that feed ' +
      '(comedy, entertainment, food, pets high; ads, finance, news low).',
  },
  {
    user: 'b',
    name: 'User b (Bilibili)',
    narrative:
      'I watch mostly on Bilibili and now and then on Douyin. I skim: plenty of videos are gone within seconds, ' +
      'but when one teaches me something or is about an anime, a game or a gadget I care about, I stay for the ' +
      'long version. Explainers, hardware reviews, game footage and anime clips make up my feed; celebrity gossip, ' +
      'beauty, relationship drama and ads bore me. I like sparingly, hardly ever comment, and sometimes forward a ' +
      'video to my labmates or to a friend who trades stocks.',
    traits: {
      platform: 'mostly Bilibili, sometimes Douyin',
      pace: 'skims quickly, but watches long videos to the end when they hold attention',
      engagement: 'likes sparingly, shares with labmates and friends, comments very rarely',
      interests: 'anime and games, knowledge, technology (assumed, not in the logs)',
    },
    categoryAffinities: {
      'entertainment': 0.35, 'knowledge-education': 0.85, 'food': 0.45, 'gaming': 0.8, 'anime-acg': 0.85,
      'ads-promotion': 0.05, 'music': 0.55, 'dance': 0.3, 'film-tv': 0.6, 'sports': 0.4,
      'tech-digital': 0.85, 'cars': 0.4, 'fashion-beauty': 0.15, 'travel-outdoors': 0.4, 'pets-animals': 0.45,
      'daily-life': 0.4, 'comedy': 0.55, 'news-current-affairs': 0.5, 'finance': 0.55, 'health-fitness': 0.35,
      'parenting-family': 0.1, 'home-diy': 0.35, 'emotion-relationships': 0.2, 'rural-agriculture': 0.2, 'art-design': 0.5,
    },
    assumption:
      'User b watched mostly on Bilibili; the affinities assume the interests that platform is known for ' +
      '(anime/ACG, gaming, knowledge, tech high; beauty, relationships, parenting, ads low). Finance is ' +
      'moderate only because one logged share went to "a classmate who trades stocks".',
  },
];
