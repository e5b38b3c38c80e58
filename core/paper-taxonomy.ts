/**
 * The paper's annotation categories and our mapping onto them, so diversity figures can be set
 * beside the paper's. The paper's annotator (Silung/PersonaAct classify_images.py) labels each
 * video "level1-level2" from 23 level-1 categories, and its diversity (analyze_diversity.py) counts
 * distinct level-1 labels per 20-step window. Our 25 level-1 categories are finer in some places
 * (Knowledge & education is the paper's 知识 and 教育) and coarser in others, so the mapping is
 * per level-1 category with per-level-2 exceptions; docs/taxonomy.md has the table and the reasons.
 */
import type { CategorizedStep } from './metrics';
import { parentLevel1 } from './taxonomy';

/** The paper's level-1 annotation categories, in its order. */
export const PAPER_LEVEL1 = [
  '其他', '生活', '亲子', '健康', '美食', '穿搭', '美容', '音乐', '舞蹈', '影视', '休闲', '娱乐',
  '旅游', '体育', '文化艺术', '知识', '教育', '游戏', '动漫', '数码科技', '直播', '交通', '新闻资讯',
] as const;
export type PaperLevel1 = (typeof PAPER_LEVEL1)[number];

/** Where each of our level-1 categories goes when its level-2 label says nothing more. */
export const PAPER_CATEGORY_OF_LEVEL1: Readonly<Record<string, PaperLevel1>> = {
  'entertainment': '娱乐',
  'knowledge-education': '知识',
  'food': '美食',
  'gaming': '游戏',
  'anime-acg': '动漫',
  'ads-promotion': '生活',
  'music': '音乐',
  'dance': '舞蹈',
  'film-tv': '影视',
  'sports': '体育',
  'tech-digital': '数码科技',
  'cars': '交通',
  'fashion-beauty': '穿搭',
  'travel-outdoors': '旅游',
  'pets-animals': '生活',
  'daily-life': '生活',
  'comedy': '休闲',
  'news-current-affairs': '新闻资讯',
  'finance': '新闻资讯',
  'health-fitness': '健康',
  'parenting-family': '亲子',
  'home-diy': '生活',
  'emotion-relationships': '生活',
  'rural-agriculture': '生活',
  'art-design': '文化艺术',
};

/** Level-2 labels whose content the paper files elsewhere than their level-1 category's default. */
export const PAPER_CATEGORY_OF_LEVEL2: Readonly<Record<string, PaperLevel1>> = {
  'variety-show': '影视',
  'livestream-clip': '直播',
  'language-learning': '教育',
  'exam-prep': '教育',
  'career': '教育',
  'lecture': '教育',
  'mukbang': '直播',
  'figures': '休闲',
  'live-commerce': '直播',
  'programming': '教育',
  'makeup': '美容',
  'skincare': '美容',
  'hairstyle': '美容',
  'nails': '美容',
  'fishing': '体育',
  'wildlife': '知识',
  'asmr': '休闲',
  'workout': '体育',
  'yoga': '体育',
  'running': '体育',
  'handcraft': '文化艺术',
  'animation': '动漫',
};

/** The paper's category of a label: a level-2 slug, else a level-1 slug; 其他 ("other") when unknown. */
export function paperCategory(label: string): PaperLevel1 {
  const level1 = parentLevel1(label);
  if (level1 !== undefined) return PAPER_CATEGORY_OF_LEVEL2[label] ?? PAPER_CATEGORY_OF_LEVEL1[level1] ?? '其他';
  return PAPER_CATEGORY_OF_LEVEL1[label] ?? '其他';
}

/** The paper's categories of one step: from its level-2 labels where it has them under a level-1 label, else from the level-1 labels. */
export function paperCategoriesOf(step: CategorizedStep): PaperLevel1[] {
  const categories = step.level1.flatMap((level1) => {
    const children = (step.level2 ?? []).filter((label) => parentLevel1(label) === level1);
    return children.length > 0 ? children.map(paperCategory) : [paperCategory(level1)];
  });
  return [...new Set(categories)];
}

/** Distinct paper categories in each window of `window` steps (the paper's diversity), one value per window end. */
export function paperDiversityWindows(steps: readonly CategorizedStep[], window = 20): number[] {
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`window must be a positive integer, got ${window}`);
  if (steps.length === 0) return [];
  const starts = steps.length < window ? [0] : Array.from({ length: steps.length - window + 1 }, (_, i) => i);
  return starts.map((start) => new Set(steps.slice(start, start + window).flatMap(paperCategoriesOf)).size);
}
