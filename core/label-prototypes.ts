/**
 * What the zero-shot title classifier compares a title with: for each level-1 category, a few
 * descriptive passages in Chinese and English (what such videos are about, written from the
 * category's meaning, never from labelled titles) and each topic they list, plus passages per
 * level-2 category built from its names. The classifier (activities/labels/) embeds them once per process.
 */
import { TAXONOMY } from './taxonomy';

/** Hand-written descriptions of each level-1 category (docs/labels.md: how they were written). */
const DESCRIPTIONS: Readonly<Record<string, readonly string[]>> = {
  'entertainment': [
    '娱乐圈视频：明星、爱豆、综艺节目、八卦新闻、颁奖典礼、脱口秀和访谈',
    'Entertainment videos: celebrities, idols, variety shows, gossip, award shows, talk shows and interviews',
    'late-night talk show clip, celebrity interview, reality TV moment',
  ],
  'knowledge-education': [
    '知识科普视频：科学原理、历史故事、人文社科、考试学习方法、公开课讲解',
    'Educational videos: science explained, history lessons, how things work, study tips, lectures',
    '为什么会这样？一个视频讲清楚背后的原理',
  ],
  'food': [
    '美食视频：做饭教程、家常菜谱、探店、吃播、美食测评、烘焙甜点、街头小吃',
    'Food videos: cooking recipes, restaurant reviews, street food, mukbang, baking and desserts',
    '今天做一道好吃的菜，教你在家做',
  ],
  'gaming': [
    '游戏视频：手游、单机游戏、网络游戏、电子竞技比赛、游戏攻略和实况解说',
    'Gaming videos: video game gameplay, walkthroughs, esports matches, new game trailers, Let\'s play',
    '原神 王者荣耀 英雄联盟 我的世界 游戏更新',
  ],
  'anime-acg': [
    '二次元视频：动漫番剧、漫画、Cosplay、虚拟主播、同人动画、动漫剪辑和配音',
    'Anime and manga videos: anime episodes, cosplay, VTubers, fan animation, AMV',
  ],
  'ads-promotion': [
    '广告推广视频：商品广告、直播带货、品牌活动、好物种草、优惠券',
    'Advertising videos: product ads, sponsored reviews, brand campaigns, shopping deals and coupons',
  ],
  'music': [
    '音乐视频：歌曲MV、翻唱、原创音乐、乐器演奏、演唱会现场',
    'Music videos: official music video, song cover, live concert performance, new single, lyrics',
    'Artist - Song Title (Official Video)',
  ],
  'dance': [
    '舞蹈视频：宅舞、韩舞翻跳、街舞、中国舞、舞蹈教学和挑战',
    'Dance videos: dance cover, choreography, street dance, K-pop dance practice, dance challenge',
  ],
  'film-tv': [
    '影视视频：电影解说、电视剧、短剧、预告片、影评、纪录片、幕后花絮',
    'Film and TV videos: movie trailers, film reviews, TV series clips, short films, behind the scenes',
    'Official Trailer HD, movie clip, film breakdown',
  ],
  'sports': [
    '体育视频：足球、篮球、NBA、格斗、乒乓球、奥运会、比赛集锦和体育新闻',
    'Sports videos: football, basketball, NBA highlights, boxing, matches, athletes and sports news',
    'game highlights, match recap, best plays',
  ],
  'tech-digital': [
    '科技数码视频：手机评测、电脑装机、人工智能、编程、数码产品开箱、科技新闻',
    'Technology videos: smartphone reviews, gadgets unboxing, computers, AI, software, tech news',
    'iPhone review, hands-on with the new laptop, how this technology works',
  ],
  'cars': [
    '汽车视频：汽车测评、新能源车、赛车、改装、驾驶技巧、摩托车',
    'Car videos: car reviews, electric vehicles, racing, car modding, driving tips, motorcycles',
  ],
  'fashion-beauty': [
    '时尚美妆视频：化妆教程、护肤、穿搭、发型、美甲、奢侈品',
    'Fashion and beauty videos: makeup tutorials, skincare routines, outfits, hairstyles, nails, luxury fashion',
  ],
  'travel-outdoors': [
    '旅行户外视频：旅游攻略、城市漫步、徒步登山、露营、自驾游、风景',
    'Travel and outdoor videos: travel vlogs, city tours, hiking, camping, road trips, scenery',
    'exploring a new country, adventure trip',
  ],
  'pets-animals': [
    '萌宠动物视频：猫、狗、野生动物、异宠、宠物养护、动物科普',
    'Pets and animals videos: cute cats and dogs, wildlife, animal rescue, pet care, zoo animals',
  ],
  'daily-life': [
    '生活日常视频：日常Vlog、生活技巧、校园生活、打工日常、购物分享',
    'Daily life videos: everyday vlogs, life hacks, campus life, a day in my life, shopping hauls',
  ],
  'comedy': [
    '搞笑视频：搞笑短剧、恶搞、鬼畜、翻车现场、相声小品、模仿',
    'Comedy videos: funny sketches, pranks, memes, fails, stand-up comedy, parody',
    'sketch comedy, funny skit, SNL',
  ],
  'news-current-affairs': [
    '新闻时事视频：国内新闻、国际新闻、社会事件、政策解读、军事、时事评论',
    'News videos: breaking news, world news, politics, government, military, current affairs commentary',
    'president says, officials report, latest news update',
  ],
  'finance': [
    '财经视频：股票、理财、房产、加密货币、宏观经济、商业分析',
    'Finance videos: stock market, personal finance, real estate, crypto, economy, business',
  ],
  'health-fitness': [
    '健康健身视频：健身训练、瑜伽、减脂饮食、医学科普、心理健康、中医养生',
    'Health and fitness videos: workouts, yoga, diet, medical advice, mental health',
  ],
  'parenting-family': [
    '亲子育儿视频：萌娃、育儿经验、孕期、早教、家庭生活',
    'Parenting videos: babies, toddlers, parenting tips, pregnancy, family life with kids',
  ],
  'home-diy': [
    '家居手工视频：装修、收纳、手工制作、园艺、木工、维修',
    'Home and DIY videos: home renovation, organizing, crafts, gardening, woodworking, repairs',
  ],
  'emotion-relationships': [
    '情感视频：恋爱、婚姻、友情、分手、情感故事、情感建议、自我成长',
    'Relationship videos: love, dating advice, marriage, breakups, emotional stories',
  ],
  'rural-agriculture': [
    '三农视频：农村生活、种地、养殖、农家美食、赶海、农产品',
    'Rural life videos: farming, village life, raising livestock, harvesting crops, fishing by the sea',
  ],
  'art-design': [
    '艺术设计视频：绘画、书法、平面设计、动画制作、雕塑、建筑、博物馆',
    'Art and design videos: painting, drawing, calligraphy, graphic design, sculpture, architecture',
  ],
};

/**
 * A description and each of its listed topics under the description's head ("美食视频：做饭教程、
 * 探店" → itself, "美食视频：做饭教程", "美食视频：探店"): a short title sits closer to one topic than
 * to the whole list (measured on the calibration split, docs/labels.md).
 */
export function descriptionPassages(description: string): string[] {
  const match = /^([^:：]+)([:：])\s*(.+)$/u.exec(description);
  if (!match) return [description];
  const [, head, colon, rest] = match as unknown as [string, string, string, string];
  const topics = rest.split(/[、,，]|\band\b/u).map((topic) => topic.trim()).filter(Boolean);
  const joiner = colon === '：' ? '：' : ': ';
  return [description, ...(topics.length > 1 ? topics.map((topic) => `${head}${joiner}${topic}`) : [])];
}

/** The label of a level-2 category in the classifier's table: "<level-1>/<level-2>". */
export const level2Label = (level1: string, level2: string): string => `${level1}/${level2}`;

/**
 * The classifier's categories and their passages: each level-1 slug with its descriptions, and
 * each level-2 category as "<level-1>/<level-2>" with its Chinese and English names under its
 * parent's names. Level-1 scores take the best of both (core/content-label.ts).
 */
export function labelPrototypes(): Record<string, string[]> {
  const prototypes: Record<string, string[]> = {};
  for (const category of TAXONOMY) {
    prototypes[category.slug] = (DESCRIPTIONS[category.slug] ?? [`${category.zh}视频`, `${category.en} videos`]).flatMap(descriptionPassages);
    for (const child of category.children) {
      prototypes[level2Label(category.slug, child.slug)] = [`${category.zh}·${child.zh}`, `${category.en}: ${child.en}`];
    }
  }
  return prototypes;
}
