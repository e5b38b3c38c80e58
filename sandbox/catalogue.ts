/**
 * The sandbox's video catalogue, generated deterministically from a seed so that every run,
 * test and calibration sees the same videos without storing them.
 */
import { TAXONOMY, type Level1Category } from '../core/taxonomy';
import { createRng, type Rng } from '../core/rng';

export interface Creator {
  readonly id: string;
  readonly name: string;
  /** Creators specialise: most of their videos fall in their home category. */
  readonly homeLevel1: string;
}

export interface Video {
  readonly id: string;
  readonly title: string;
  readonly creatorId: string;
  readonly creatorName: string;
  readonly level1: string;
  readonly level2: string;
  readonly durationSeconds: number;
  /** Heavy-tailed view count; the recommender uses it as a prior. */
  readonly views: number;
}

export interface Catalogue {
  readonly seed: string;
  readonly videos: readonly Video[];
  readonly creators: readonly Creator[];
  readonly byId: ReadonlyMap<string, Video>;
  readonly byLevel1: ReadonlyMap<string, readonly Video[]>;
  readonly byLevel2: ReadonlyMap<string, readonly Video[]>;
}

export interface CatalogueOptions {
  seed: string;
  videoCount: number;
  creatorCount?: number;
}

const SYLLABLES = ['xiao', 'mei', 'long', 'yu', 'chen', 'lin', 'bai', 'feng', 'tian', 'an', 'le', 'qiu', 'ming', 'jia', 'hua', 'zhi'];
const HOOKS = ['you won\'t believe', 'in 60 seconds', 'day 7', 'honest take', 'part 2', 'the truth about', 'first try', 'top 5', 'a quiet evening', 'late-night', 'beginner guide', 'what happened next'];

function creatorName(rng: Rng): string {
  const parts = 2 + rng.int(2);
  let name = '';
  for (let i = 0; i < parts; i++) name += rng.pick(SYLLABLES);
  return name.charAt(0).toUpperCase() + name.slice(1) + (rng.chance(0.3) ? String(10 + rng.int(90)) : '');
}

/** Log-normal around 35 s with a long tail: most short videos are brief, a few run for minutes. */
function durationSeconds(rng: Rng): number {
  const seconds = Math.exp(Math.log(35) + 0.85 * rng.normal());
  return Math.round(Math.min(900, Math.max(5, seconds)) * 10) / 10;
}

/** Pareto(α = 1.2) view counts: a few hits, a long tail of obscure videos. */
function viewCount(rng: Rng): number {
  return Math.round(200 / Math.pow(1 - rng.next(), 1 / 1.2));
}

export function generateCatalogue(options: CatalogueOptions): Catalogue {
  const rng = createRng(`catalogue/${options.seed}`);
  const creatorCount = options.creatorCount ?? Math.max(TAXONOMY.length, Math.round(options.videoCount / 8));
  const creators: Creator[] = [];
  for (let i = 0; i < creatorCount; i++) {
    const home = TAXONOMY[i % TAXONOMY.length] as Level1Category;
    creators.push({ id: `c${String(i).padStart(4, '0')}`, name: creatorName(rng), homeLevel1: home.slug });
  }
  const creatorsByHome = new Map<string, Creator[]>();
  for (const c of creators) creatorsByHome.set(c.homeLevel1, [...(creatorsByHome.get(c.homeLevel1) ?? []), c]);

  const videos: Video[] = [];
  for (let i = 0; i < options.videoCount; i++) {
    // Round-robin over categories keeps every level-1 category well stocked (≥ videoCount/25 each).
    const category = TAXONOMY[i % TAXONOMY.length] as Level1Category;
    const sub = rng.pick(category.children);
    const creator = rng.chance(0.85) ? rng.pick(creatorsByHome.get(category.slug) ?? creators) : rng.pick(creators);
    videos.push({
      id: `v${String(i).padStart(5, '0')}`,
      title: `【${sub.zh}】${sub.en} — ${rng.pick(HOOKS)} #${i}`,
      creatorId: creator.id,
      creatorName: creator.name,
      level1: category.slug,
      level2: sub.slug,
      durationSeconds: durationSeconds(rng),
      views: viewCount(rng),
    });
  }

  const group = (key: (v: Video) => string): Map<string, Video[]> => {
    const map = new Map<string, Video[]>();
    for (const v of videos) {
      const k = key(v);
      const list = map.get(k);
      if (list) list.push(v);
      else map.set(k, [v]);
    }
    return map;
  };
  return {
    seed: options.seed,
    videos,
    creators,
    byId: new Map(videos.map((v) => [v.id, v])),
    byLevel1: group((v) => v.level1),
    byLevel2: group((v) => v.level2),
  };
}
