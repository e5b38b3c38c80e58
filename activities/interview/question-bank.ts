/**
 * The offline interviewer: a deterministic, data-driven question bank. Every question is a
 * template filled from the persona features, so it cites the person's own behaviour ("You left
 * 62% of all videos within 3 s…"); templates whose data the log lacks (categories, creators, view
 * counts) are left out. Same features, same answers → same questions.
 *
 * How it adapts, within a section's turn budget:
 *  1. after an answer that mentions a theme (boredom, relaxing, learning, humour, other people,
 *     ads, music, the feed itself) it follows that theme up once per interview;
 *  2. after a short or vague answer ("idk", fewer than four words) it asks for an example, once
 *     per question;
 *  3. otherwise it asks the section's next template that was not asked yet; a section with none
 *     left ends early.
 * Keys ("skipping.quick", "followup.vague.skipping.quick") are unique, so nothing is asked twice.
 */
import type { InterviewSection, InterviewTurn } from '../../core/interview';
import type { CategoryFeatures, PersonaFeatures } from '../../core/persona-features';
import { QUICK_SKIP_SECONDS, TOP_CREATORS } from '../../core/persona-features';
import { level1 } from '../../core/taxonomy';

export const QUESTION_BANK = 'question-bank';

export interface BankQuestion {
  readonly key: string;
  readonly section: InterviewSection;
  readonly text: string;
  /** The behaviour the question cites, as short facts. */
  readonly cites: readonly string[];
}

interface Template {
  readonly key: string;
  /** undefined when the log lacks what the question needs. */
  readonly write: (f: PersonaFeatures) => { text: string; cites: string[] } | undefined;
}

/** A category needs this many steps before the bank singles it out. */
const MIN_CATEGORY_STEPS = 5;

/** Whole percent, or one decimal below 10% (a like rate of 6.2% is not 6%). */
const pct = (x: number) => `${x > 0 && x < 0.1 ? Number((x * 100).toFixed(1)) : Math.round(x * 100)}%`;
const minutes = (x: number) => (x < 1 ? 'under a minute' : Math.round(x) === 1 ? '1 minute' : `${Math.round(x)} minutes`);
const sec = (x: number) => `${Number(x.toFixed(1))} s`;
const categoryName = (slug: string) => level1(slug)?.en.toLowerCase() ?? slug;
const mostBy = (items: readonly CategoryFeatures[], by: (c: CategoryFeatures) => number) =>
  [...items].filter((c) => c.steps >= MIN_CATEGORY_STEPS).sort((x, y) => by(y) - by(x) || (x.category < y.category ? -1 : 1))[0];

function daypart(f: PersonaFeatures): { phrase: string; share: number } {
  const [name, share] = Object.entries(f.timeOfDay.dayparts).sort((x, y) => y[1] - x[1])[0] as [string, number];
  const phrase = name === 'night' ? 'at night (0–6 h)' : `in the ${name}`;
  return { phrase: f.timeOfDay.clock === 'local' ? phrase : `${phrase} (${f.timeOfDay.clock === 'utc' ? 'UTC' : 'mixed clocks'})`, share };
}

const TEMPLATES: Readonly<Record<InterviewSection, readonly Template[]>> = {
  habits: [
    { key: 'habits.sessions', write: (f) => {
      const steps = Math.round(f.sessionLength.steps.p50);
      const length = minutes(f.sessionLength.minutes.p50);
      return {
        text: `Your log has ${f.sessions} viewing sessions, typically ${steps} videos and ${length} each. When do you usually open the app, and what makes you put it away?`,
        cites: [`${f.sessions} sessions; median ${steps} videos and ${length} per session`],
      };
    } },
    { key: 'habits.daypart', write: (f) => {
      const { phrase, share } = daypart(f);
      if (share < 0.4) return undefined;
      return { text: `${pct(share)} of your videos were watched ${phrase}. What is usually going on in your day at that time?`, cites: [`${pct(share)} of videos watched ${phrase}`] };
    } },
    { key: 'habits.platforms', write: (f) => {
      const ranked = Object.entries(f.platforms).sort((x, y) => y[1] - x[1]);
      if (ranked.length < 2) return undefined;
      const [[p1, n1], [p2, n2]] = ranked as [[string, number], [string, number]];
      return { text: `You watched ${n1} videos on ${p1} and ${n2} on ${p2}. What do you go to each of them for?`, cites: [`${n1} videos on ${p1}, ${n2} on ${p2}`] };
    } },
    { key: 'habits.pace', write: (f) => ({
      text: `Across ${f.steps} videos you spent a median of ${sec(f.watchSeconds.p50)} on each. Do you usually scroll with something in mind, or let the feed carry you?`,
      cites: [`${f.steps} videos, median watch ${sec(f.watchSeconds.p50)}`],
    }) },
  ],
  skipping: [
    { key: 'skipping.category', write: (f) => {
      const c = mostBy(f.categories?.perCategory ?? [], (x) => x.quickSkipRate);
      if (!c || c.quickSkipRate < 0.3) return undefined;
      const more = c.quickSkipRate > f.quickSkipRate ? `, more than the ${pct(f.quickSkipRate)} you skip overall` : '';
      return {
        text: `You skipped ${pct(c.quickSkipRate)} of ${categoryName(c.category)} videos within ${QUICK_SKIP_SECONDS} s${more}. Why do they lose you so fast?`,
        cites: [`${pct(c.quickSkipRate)} of ${c.steps} ${categoryName(c.category)} videos left within ${QUICK_SKIP_SECONDS} s`],
      };
    } },
    { key: 'skipping.quick', write: (f) => ({
      text: `You left ${pct(f.quickSkipRate)} of all videos within ${QUICK_SKIP_SECONDS} s. What do you decide in those first seconds, and what makes you swipe?`,
      cites: [`quick-skip rate ${pct(f.quickSkipRate)} (< ${QUICK_SKIP_SECONDS} s)`],
    }) },
    { key: 'skipping.spread', write: (f) => ({
      text: `Half of your videos got less than ${sec(f.watchSeconds.p50)}, but one in ten held you for more than ${sec(f.watchSeconds.p90)}. What is the difference between those two kinds?`,
      cites: [`median watch ${sec(f.watchSeconds.p50)}, 90th percentile ${sec(f.watchSeconds.p90)}`],
    }) },
  ],
  liking: [
    { key: 'liking.rate', write: (f) => {
      const likes = Math.round(f.likeRate * f.steps);
      if (likes === 0) return { text: `You did not like a single one of your ${f.steps} videos. Why do you never press like?`, cites: [`0 likes in ${f.steps} videos`] };
      return {
        text: `You liked ${pct(f.likeRate)} of the videos you watched (${likes} of ${f.steps}). What makes a video worth a like for you?`,
        cites: [`like rate ${pct(f.likeRate)} (${likes} of ${f.steps} videos)`],
      };
    } },
    { key: 'liking.category', write: (f) => {
      const c = mostBy(f.categories?.perCategory ?? [], (x) => x.likeRate);
      if (!c || c.likeRate <= f.likeRate) return undefined;
      return {
        text: `You liked ${pct(c.likeRate)} of the ${categoryName(c.category)} videos you saw, more than any other kind. What do they give you?`,
        cites: [`like rate ${pct(c.likeRate)} on ${c.steps} ${categoryName(c.category)} videos (overall ${pct(f.likeRate)})`],
      };
    } },
    { key: 'liking.creators', write: (f) => {
      const liked = f.creators?.liked ?? [];
      if (liked.length === 0) return undefined;
      const top = liked[0] as { likes: number };
      const spread = liked.length === 1
        ? `All ${top.likes} of your likes went to one creator`
        : `Your likes went to ${liked.length} different creators${top.likes > 1 ? `, ${top.likes} of them to a single creator` : ''}`;
      return {
        text: `${spread}. Do you follow particular creators, or like whatever content is good?`,
        cites: [`likes spread over ${liked.length} creators`],
      };
    } },
    { key: 'liking.watch', write: (f) => ({
      text: `You liked ${pct(f.likeRate)} of videos while watching ${sec(f.watchSeconds.mean)} on average. Do you like a video as soon as it grabs you, or only after you have seen it through?`,
      cites: [`like rate ${pct(f.likeRate)}, mean watch ${sec(f.watchSeconds.mean)}`],
    }) },
  ],
  categories: [
    { key: 'categories.top', write: (f) => {
      const [first, second] = f.categories?.perCategory ?? [];
      if (!first) return undefined;
      const then = second ? `, followed by ${categoryName(second.category)} (${pct(second.share)})` : '';
      return {
        text: `${level1(first.category)?.en ?? first.category} makes up ${pct(first.share)} of what you watched${then}. What draws you to it?`,
        cites: [`${categoryName(first.category)}: ${pct(first.share)} of videos`],
      };
    } },
    { key: 'categories.longest', write: (f) => {
      const c = mostBy(f.categories?.perCategory ?? [], (x) => x.meanWatchRank);
      if (!c || c.medianWatchSeconds <= f.watchSeconds.p50) return undefined;
      return {
        text: `You stay longer on ${categoryName(c.category)} videos than on others (median ${sec(c.medianWatchSeconds)} against ${sec(f.watchSeconds.p50)} overall). What keeps you there?`,
        cites: [`${categoryName(c.category)}: median watch ${sec(c.medianWatchSeconds)} vs ${sec(f.watchSeconds.p50)} overall`],
      };
    } },
    { key: 'categories.unknown', write: (f) => {
      if (f.categories) return undefined;
      return {
        text: `Your log does not say what your ${f.steps} videos were about, only how long you watched them (median ${sec(f.watchSeconds.p50)}). Which kinds of videos fill most of your feed, and which would you rather see less of?`,
        cites: [`${f.steps} videos without category labels, median watch ${sec(f.watchSeconds.p50)}`],
      };
    } },
    { key: 'categories.creators', write: (f) => {
      if (!f.creators || f.creators.distinct <= TOP_CREATORS) return undefined;
      return {
        text: `${pct(f.creators.topShare)} of your videos came from your ${TOP_CREATORS} most-watched creators, out of ${f.creators.distinct}. Do you seek them out, or does the feed keep bringing them back?`,
        cites: [`top ${TOP_CREATORS} creators: ${pct(f.creators.topShare)} of videos (${f.creators.distinct} creators)`],
      };
    } },
  ],
  motives: [
    { key: 'motives.mood', write: (f) => {
      const length = minutes(f.sessionLength.minutes.p50);
      return {
        text: `A typical session of yours lasts ${length}. How do you usually feel when you start scrolling, and how when you stop?`,
        cites: [`median session ${length}`],
      };
    } },
    { key: 'motives.attention', write: (f) => f.keyTraits.emotion_regulation === 'high'
      ? {
        text: `You often stay with a video: ${sec(f.watchSeconds.mean)} on average. What kind of video makes you forget to swipe?`,
        cites: [`mean watch ${sec(f.watchSeconds.mean)}`],
      }
      : {
        text: `On average you give a video ${sec(f.watchSeconds.mean)}. Do you scroll to relax, to pass the time, or to find something specific?`,
        cites: [`mean watch ${sec(f.watchSeconds.mean)}`],
      } },
    { key: 'motives.longest', write: (f) => ({
      text: `Your longest views ran up to ${sec(f.watchSeconds.max)}. Think of the last video you watched to the end: what was it, and why did you stay?`,
      cites: [`longest view ${sec(f.watchSeconds.max)}`],
    }) },
  ],
  social: [
    { key: 'social.engagement', write: (f) => f.commentRate + f.shareRate === 0
      ? {
        text: `You did not comment on or share any of your ${f.steps} videos. What would it take for you to write something or pass a video on?`,
        cites: [`no comments or shares in ${f.steps} videos`],
      }
      : {
        text: `You commented on ${pct(f.commentRate)} and shared ${pct(f.shareRate)} of your videos. When do you write something, or pass a video on?`,
        cites: [`comment rate ${pct(f.commentRate)}, share rate ${pct(f.shareRate)}`],
      } },
    { key: 'social.popular', write: (f) => {
      const p = f.popularity;
      if (!p) return undefined;
      const than = p.popularLikeRate > p.otherLikeRate ? 'more' : 'less';
      return {
        text: `You liked popular videos ${than} often than the rest (${pct(p.popularLikeRate)} against ${pct(p.otherLikeRate)}). Does it matter to you what many others watch?`,
        cites: [`like rate ${pct(p.popularLikeRate)} on popular videos vs ${pct(p.otherLikeRate)} on others`],
      };
    } },
    { key: 'social.steering', write: (f) => ({
      text: `With likes on only ${pct(f.likeRate)} of videos, the feed learns mostly from how long you watch. Do you ever linger or swipe on purpose to steer what it shows you?`,
      cites: [`like rate ${pct(f.likeRate)}`],
    }) },
  ],
};

interface FollowUp {
  readonly key: string;
  readonly mentions: RegExp;
  readonly ask: (cite: string) => string;
}

/** Themes worth following up when an answer mentions them; each at most once per interview. */
const THEMES: readonly FollowUp[] = [
  { key: 'followup.boredom', mentions: /\bbor(?:e|es|ed|ing|edom)\b|\bdull\b|\btoo slow\b/i, ask: (c) => `You mentioned boredom (${c}). What makes a video boring for you within its first seconds?` },
  { key: 'followup.relaxing', mentions: /\brelax|\bcalm|\bsleep|\btired|\bstress|\bunwind/i, ask: (c) => `You mentioned winding down (${c}). Which videos help you relax, and which do the opposite?` },
  { key: 'followup.learning', mentions: /\blearn|\buseful|\bknowledge|\btutorial|\binformative|\beducat/i, ask: (c) => `You mentioned learning (${c}). What was the last thing you picked up from a short video?` },
  { key: 'followup.humour', mentions: /\bfunny|\blaugh|\bhumou?r|\bjokes?\b|\bmemes?\b/i, ask: (c) => `You mentioned humour (${c}). What kind of funny works for you, and what kind makes you swipe?` },
  { key: 'followup.people', mentions: /\bfriends?\b|\bfamily\b|\bcolleagues?\b|\bsend (?:it|them)\b/i, ask: (c) => `You mentioned other people (${c}). What kind of video do you pass on, and what do you expect back?` },
  { key: 'followup.ads', mentions: /\bads?\b|\badvert|\bsponsor|\bpromot/i, ask: (c) => `You mentioned ads (${c}). How quickly do you recognise one, and what do you do then?` },
  { key: 'followup.music', mentions: /\bmusic|\bsongs?\b|\bdanc|\bsing/i, ask: (c) => `You mentioned music (${c}). Does the sound decide whether you stay, even before the picture?` },
  { key: 'followup.feed', mentions: /\balgorithm|\brecommend|\bthe feed\b|\bfor you\b/i, ask: (c) => `You mentioned the feed itself (${c}). Do you try to steer what it shows you, and how?` },
];

const VAGUE = /^(?:idk|i don'?t know|not sure|no idea|nothing|maybe|dunno|no reason|just because|whatever|n\/a|none|no|yes|ok(?:ay)?)\W*$/i;
/** Answers shorter than this many words get a request for an example. */
export const MIN_ANSWER_WORDS = 4;

export function isVague(answer: string): boolean {
  const text = answer.trim();
  return VAGUE.test(text) || text.split(/\s+/u).filter(Boolean).length < MIN_ANSWER_WORDS;
}

const isFollowUp = (key: string | undefined) => key?.startsWith('followup.') ?? false;

function followUp(last: InterviewTurn | undefined, section: InterviewSection, asked: ReadonlySet<string>): BankQuestion | undefined {
  if (!last || last.section !== section || last.skipped || !last.key || isFollowUp(last.key)) return undefined;
  const cite = last.cites[0] ?? 'your answer';
  const theme = THEMES.find((t) => !asked.has(t.key) && t.mentions.test(last.answer));
  if (theme) return { key: theme.key, section, text: theme.ask(cite), cites: [...last.cites] };
  const vagueKey = `followup.vague.${last.key}`;
  if (isVague(last.answer) && !asked.has(vagueKey)) {
    return { key: vagueKey, section, text: `Could you say a little more, with an example? I asked because of ${cite}.`, cites: [...last.cites] };
  }
  return undefined;
}

/** The section's questions the features support, in the order the bank asks them. */
export function sectionQuestions(features: PersonaFeatures, section: InterviewSection): BankQuestion[] {
  return TEMPLATES[section].flatMap((template) => {
    const written = template.write(features);
    return written ? [{ key: template.key, section, ...written }] : [];
  });
}

/** The next question of `section` after `turns` (the interview so far), or undefined when the section has nothing left to ask. */
export function nextBankQuestion(features: PersonaFeatures, section: InterviewSection, turns: readonly InterviewTurn[]): BankQuestion | undefined {
  const asked = new Set(turns.flatMap((t) => (t.key ? [t.key] : [])));
  const askedTexts = new Set(turns.map((t) => t.question));
  return followUp(turns.at(-1), section, asked) ?? sectionQuestions(features, section).find((q) => !asked.has(q.key) && !askedTexts.has(q.text));
}

/** Every fact the bank could cite: what a chat model is told it may build its questions on. */
export function behaviourFacts(features: PersonaFeatures): string[] {
  const facts = Object.keys(TEMPLATES).flatMap((section) => sectionQuestions(features, section as InterviewSection).flatMap((q) => q.cites));
  return [...new Set(facts)];
}
