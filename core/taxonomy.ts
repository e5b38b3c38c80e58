/**
 * The one content taxonomy: 25 level-1 categories, each with level-2 categories; slugs are the
 * stable identifiers stored in records and metrics. They are this project's own categories, not
 * the paper's: its annotator uses 23 level-1 categories (classify_images.py), and
 * core/paper-taxonomy.ts maps ours onto them (docs/taxonomy.md) so diversity can be compared.
 */
export interface Level2Category {
  readonly slug: string;
  readonly zh: string;
  readonly en: string;
}

export interface Level1Category {
  readonly slug: string;
  readonly zh: string;
  readonly en: string;
  /** A glyph and colour so the sandbox can draw a recognisable visual per category. */
  readonly glyph: string;
  readonly color: string;
  readonly children: readonly Level2Category[];
}

const l2 = (slug: string, zh: string, en: string): Level2Category => ({ slug, zh, en });

export const TAXONOMY: readonly Level1Category[] = [
  { slug: 'entertainment', zh: '娱乐', en: 'Entertainment', glyph: '🎤', color: '#e84393', children: [
    l2('celebrity', '明星', 'Celebrity'), l2('variety-show', '综艺', 'Variety show'), l2('gossip', '八卦', 'Gossip'),
    l2('talk-show', '脱口秀', 'Talk show'), l2('fan-edit', '饭制', 'Fan edit'), l2('livestream-clip', '直播切片', 'Livestream clip'),
    l2('reaction', '反应视频', 'Reaction') ] },
  { slug: 'knowledge-education', zh: '知识教育', en: 'Knowledge & education', glyph: '📚', color: '#0984e3', children: [
    l2('science', '科普', 'Popular science'), l2('history', '历史', 'History'), l2('language-learning', '语言学习', 'Language learning'),
    l2('exam-prep', '考试备考', 'Exam prep'), l2('humanities', '人文社科', 'Humanities'), l2('career', '职场', 'Career'),
    l2('lecture', '公开课', 'Lecture') ] },
  { slug: 'food', zh: '美食', en: 'Food', glyph: '🍜', color: '#e17055', children: [
    l2('cooking', '美食制作', 'Cooking'), l2('food-review', '美食测评', 'Food review'), l2('mukbang', '吃播', 'Mukbang'),
    l2('street-food', '街头小吃', 'Street food'), l2('baking', '烘焙', 'Baking'), l2('regional-cuisine', '地方菜', 'Regional cuisine'),
    l2('drinks', '饮品', 'Drinks') ] },
  { slug: 'gaming', zh: '游戏', en: 'Gaming', glyph: '🎮', color: '#6c5ce7', children: [
    l2('mobile-games', '手游', 'Mobile games'), l2('pc-games', '单机游戏', 'PC games'), l2('esports', '电子竞技', 'Esports'),
    l2('game-guide', '游戏攻略', 'Game guide'), l2('online-games', '网络游戏', 'Online games'), l2('game-news', '游戏资讯', 'Game news'),
    l2('speedrun', '速通', 'Speedrun') ] },
  { slug: 'anime-acg', zh: '二次元', en: 'Anime & ACG', glyph: '🌸', color: '#fd79a8', children: [
    l2('anime', '番剧', 'Anime'), l2('manga', '漫画', 'Manga'), l2('cosplay', 'Cosplay', 'Cosplay'),
    l2('vtuber', '虚拟主播', 'VTuber'), l2('amv', 'MAD·AMV', 'AMV'), l2('doujin', '同人', 'Doujin'),
    l2('figures', '手办模玩', 'Figures') ] },
  { slug: 'ads-promotion', zh: '广告推广', en: 'Ads & promotion', glyph: '🛒', color: '#fdcb6e', children: [
    l2('product-ad', '商品广告', 'Product ad'), l2('app-promo', '应用推广', 'App promotion'), l2('live-commerce', '直播带货', 'Live commerce'),
    l2('brand-campaign', '品牌活动', 'Brand campaign'), l2('sponsored-review', '种草测评', 'Sponsored review'), l2('coupon', '优惠券', 'Coupons'),
    l2('local-business', '本地商家', 'Local business') ] },
  { slug: 'music', zh: '音乐', en: 'Music', glyph: '🎵', color: '#00b894', children: [
    l2('cover', '翻唱', 'Cover'), l2('original-song', '原创音乐', 'Original song'), l2('instrument', '演奏', 'Instrument'),
    l2('concert', '演唱会', 'Concert'), l2('music-video', 'MV', 'Music video'), l2('music-theory', '乐理', 'Music theory'),
    l2('electronic', '电音', 'Electronic') ] },
  { slug: 'dance', zh: '舞蹈', en: 'Dance', glyph: '💃', color: '#a29bfe', children: [
    l2('kpop-dance', '韩舞', 'K-pop dance'), l2('house-dance', '宅舞', 'Otaku dance'), l2('street-dance', '街舞', 'Street dance'),
    l2('chinese-dance', '中国舞', 'Chinese dance'), l2('dance-tutorial', '舞蹈教学', 'Dance tutorial'), l2('ballet', '芭蕾', 'Ballet'),
    l2('dance-challenge', '舞蹈挑战', 'Dance challenge') ] },
  { slug: 'film-tv', zh: '影视', en: 'Film & TV', glyph: '🎬', color: '#2d3436', children: [
    l2('movie-commentary', '电影解说', 'Movie commentary'), l2('tv-drama', '电视剧', 'TV drama'), l2('short-drama', '短剧', 'Short drama'),
    l2('trailer', '预告片', 'Trailer'), l2('documentary', '纪录片', 'Documentary'), l2('film-review', '影评', 'Film review'),
    l2('behind-the-scenes', '幕后花絮', 'Behind the scenes') ] },
  { slug: 'sports', zh: '体育', en: 'Sports', glyph: '⚽', color: '#27ae60', children: [
    l2('football', '足球', 'Football'), l2('basketball', '篮球', 'Basketball'), l2('martial-arts', '武术格斗', 'Martial arts'),
    l2('extreme-sports', '极限运动', 'Extreme sports'), l2('olympics', '奥运', 'Olympics'), l2('table-tennis', '乒乓球', 'Table tennis'),
    l2('sports-news', '体育资讯', 'Sports news') ] },
  { slug: 'tech-digital', zh: '科技数码', en: 'Tech & digital', glyph: '💻', color: '#636e72', children: [
    l2('phones', '手机', 'Phones'), l2('computers', '电脑装机', 'Computers'), l2('programming', '编程', 'Programming'),
    l2('ai', '人工智能', 'AI'), l2('gadget-review', '数码测评', 'Gadget review'), l2('tech-news', '科技资讯', 'Tech news'),
    l2('photography', '摄影器材', 'Photography gear') ] },
  { slug: 'cars', zh: '汽车', en: 'Cars', glyph: '🚗', color: '#d63031', children: [
    l2('car-review', '汽车测评', 'Car review'), l2('ev', '新能源', 'Electric vehicles'), l2('racing', '赛车', 'Racing'),
    l2('modding', '改装', 'Modding'), l2('driving-tips', '驾驶技巧', 'Driving tips'), l2('motorcycles', '摩托车', 'Motorcycles'),
    l2('car-culture', '汽车文化', 'Car culture') ] },
  { slug: 'fashion-beauty', zh: '时尚美妆', en: 'Fashion & beauty', glyph: '💄', color: '#e84118', children: [
    l2('makeup', '美妆', 'Makeup'), l2('skincare', '护肤', 'Skincare'), l2('outfits', '穿搭', 'Outfits'),
    l2('hairstyle', '发型', 'Hairstyle'), l2('nails', '美甲', 'Nails'), l2('luxury', '奢侈品', 'Luxury'),
    l2('hanfu', '汉服', 'Hanfu') ] },
  { slug: 'travel-outdoors', zh: '旅行户外', en: 'Travel & outdoors', glyph: '🏔️', color: '#00cec9', children: [
    l2('city-walk', '城市漫步', 'City walk'), l2('hiking', '徒步登山', 'Hiking'), l2('camping', '露营', 'Camping'),
    l2('road-trip', '自驾游', 'Road trip'), l2('travel-vlog', '旅行Vlog', 'Travel vlog'), l2('scenery', '风景', 'Scenery'),
    l2('fishing', '钓鱼', 'Fishing') ] },
  { slug: 'pets-animals', zh: '萌宠动物', en: 'Pets & animals', glyph: '🐱', color: '#f39c12', children: [
    l2('cats', '猫', 'Cats'), l2('dogs', '狗', 'Dogs'), l2('wildlife', '野生动物', 'Wildlife'),
    l2('exotic-pets', '异宠', 'Exotic pets'), l2('pet-care', '宠物养护', 'Pet care'), l2('aquarium', '水族', 'Aquarium'),
    l2('farm-animals', '农场动物', 'Farm animals') ] },
  { slug: 'daily-life', zh: '生活日常', en: 'Daily life', glyph: '☕', color: '#b2bec3', children: [
    l2('vlog', '日常Vlog', 'Vlog'), l2('life-hacks', '生活技巧', 'Life hacks'), l2('campus', '校园', 'Campus'),
    l2('workday', '打工日常', 'Workday'), l2('shopping-haul', '购物分享', 'Shopping haul'), l2('minimalism', '极简生活', 'Minimalism'),
    l2('asmr', '助眠ASMR', 'ASMR') ] },
  { slug: 'comedy', zh: '搞笑', en: 'Comedy', glyph: '😂', color: '#ffeaa7', children: [
    l2('sketch', '搞笑短剧', 'Sketch'), l2('prank', '恶搞', 'Prank'), l2('memes', '鬼畜', 'Memes'),
    l2('fails', '翻车现场', 'Fails'), l2('stand-up', '相声小品', 'Crosstalk & skits'), l2('parody', '模仿', 'Parody'),
    l2('funny-animals', '沙雕动物', 'Funny animals') ] },
  { slug: 'news-current-affairs', zh: '新闻时事', en: 'News & current affairs', glyph: '📰', color: '#34495e', children: [
    l2('domestic-news', '国内新闻', 'Domestic news'), l2('world-news', '国际新闻', 'World news'), l2('society', '社会', 'Society'),
    l2('policy', '政策解读', 'Policy'), l2('military', '军事', 'Military'), l2('commentary', '时评', 'Commentary'),
    l2('weather-disaster', '天气灾害', 'Weather & disasters') ] },
  { slug: 'finance', zh: '财经', en: 'Finance', glyph: '📈', color: '#16a085', children: [
    l2('stocks', '股票', 'Stocks'), l2('personal-finance', '理财', 'Personal finance'), l2('real-estate', '房产', 'Real estate'),
    l2('crypto', '加密货币', 'Crypto'), l2('economy', '宏观经济', 'Economy'), l2('business', '商业', 'Business'),
    l2('side-hustle', '副业', 'Side hustle') ] },
  { slug: 'health-fitness', zh: '健康健身', en: 'Health & fitness', glyph: '💪', color: '#2ecc71', children: [
    l2('workout', '健身', 'Workout'), l2('yoga', '瑜伽', 'Yoga'), l2('diet', '减脂饮食', 'Diet'),
    l2('medical', '医学科普', 'Medical'), l2('mental-health', '心理健康', 'Mental health'), l2('running', '跑步', 'Running'),
    l2('tcm', '中医养生', 'Traditional medicine') ] },
  { slug: 'parenting-family', zh: '亲子育儿', en: 'Parenting & family', glyph: '👶', color: '#ff7675', children: [
    l2('babies', '萌娃', 'Babies'), l2('parenting-tips', '育儿经验', 'Parenting tips'), l2('pregnancy', '孕期', 'Pregnancy'),
    l2('early-education', '早教', 'Early education'), l2('family-life', '家庭生活', 'Family life'), l2('kids-crafts', '亲子手工', 'Kids crafts'),
    l2('school-life', '学生家长', 'School life') ] },
  { slug: 'home-diy', zh: '家居手工', en: 'Home & DIY', glyph: '🛠️', color: '#8e44ad', children: [
    l2('renovation', '装修', 'Renovation'), l2('organizing', '收纳', 'Organizing'), l2('handcraft', '手工', 'Handcraft'),
    l2('gardening', '园艺', 'Gardening'), l2('woodworking', '木工', 'Woodworking'), l2('interior-design', '家居设计', 'Interior design'),
    l2('repair', '维修', 'Repair') ] },
  { slug: 'emotion-relationships', zh: '情感', en: 'Emotion & relationships', glyph: '💌', color: '#c0392b', children: [
    l2('romance', '恋爱', 'Romance'), l2('marriage', '婚姻', 'Marriage'), l2('friendship', '友情', 'Friendship'),
    l2('breakup', '分手', 'Breakup'), l2('emotional-stories', '情感故事', 'Emotional stories'), l2('dating-advice', '情感建议', 'Dating advice'),
    l2('healing-quotes', '治愈语录', 'Healing quotes') ] },
  { slug: 'rural-agriculture', zh: '三农', en: 'Rural life & agriculture', glyph: '🌾', color: '#6ab04c', children: [
    l2('farming', '种植', 'Farming'), l2('livestock', '养殖', 'Livestock'), l2('village-life', '乡村生活', 'Village life'),
    l2('rural-cooking', '农家美食', 'Rural cooking'), l2('agri-tech', '农业科技', 'Agri-tech'), l2('farm-produce', '农产品', 'Farm produce'),
    l2('rural-craft', '传统手艺', 'Traditional craft') ] },
  { slug: 'art-design', zh: '艺术设计', en: 'Art & design', glyph: '🎨', color: '#e67e22', children: [
    l2('painting', '绘画', 'Painting'), l2('calligraphy', '书法', 'Calligraphy'), l2('graphic-design', '平面设计', 'Graphic design'),
    l2('animation', '动画制作', 'Animation'), l2('sculpture', '雕塑', 'Sculpture'), l2('architecture', '建筑', 'Architecture'),
    l2('museum', '博物馆', 'Museum') ] },
];

export const LEVEL1_SLUGS: readonly string[] = TAXONOMY.map((c) => c.slug);

const level1BySlug = new Map(TAXONOMY.map((c) => [c.slug, c]));
const level1ByZh = new Map(TAXONOMY.map((c) => [c.zh, c]));
const parentOfLevel2 = new Map(TAXONOMY.flatMap((c) => c.children.map((k) => [k.slug, c] as const)));

export function level1(slug: string): Level1Category | undefined {
  return level1BySlug.get(slug);
}

export function isLevel1(slug: string): boolean {
  return level1BySlug.has(slug);
}

/** Whether `level2Slug` is a child of `level1Slug`. */
export function isLevel2Of(level1Slug: string, level2Slug: string): boolean {
  return parentOfLevel2.get(level2Slug)?.slug === level1Slug;
}

/** The level-1 slug a level-2 slug belongs to, or undefined when the level-2 slug is unknown. */
export function parentLevel1(level2Slug: string): string | undefined {
  return parentOfLevel2.get(level2Slug)?.slug;
}

/** "Food (美食)", or the slug itself when the taxonomy does not know it. */
export function level1Label(slug: string): string {
  const category = level1BySlug.get(slug);
  return category ? `${category.en} (${category.zh})` : slug;
}

/** Accepts a slug or the Chinese name (as the paper's labels use) and returns the level-1 slug. */
export function normalizeLevel1(label: string): string | undefined {
  const trimmed = label.trim();
  return (level1BySlug.get(trimmed.toLowerCase()) ?? level1ByZh.get(trimmed))?.slug;
}
