"""Builds the labelled title set (titles.jsonl, calibration.jsonl) from two public dumps.

Run from the repository root with the two source files saved locally (README.md says where they
come from):

    .venv/bin/python data/labels/build.py USvideos.csv hot_videos.sql

Labels are the platform's own category (YouTube category name, Bilibili v2 partition) mapped to
the project's level-1 taxonomy by the tables below; categories that span several of ours are left
out. Sampling is seeded, so the files are reproducible from the same inputs.
"""
import csv
import json
import random
import re
import sys

# YouTube's category names (the dataset's `category` column) → our level-1 slug. Left out:
# Howto & Style (beauty, cooking, DIY alike), People & Blogs (a catch-all), Nonprofits & Activism, Shows.
YOUTUBE = {
    'Entertainment': 'entertainment', 'Music': 'music', 'News & Politics': 'news-current-affairs',
    'Comedy': 'comedy', 'Sports': 'sports', 'Science & Technology': 'tech-digital',
    'Film & Animation': 'film-tv', 'Education': 'knowledge-education', 'Pets & Animals': 'pets-animals',
    'Autos & Vehicles': 'cars', 'Gaming': 'gaming', 'Travel & Events': 'travel-outdoors',
}
# Bilibili's v2 parent partitions (`pid_name_v2`) → our level-1 slug. Left out: 其他 (随拍·综合),
# 生活兴趣 (toys, stationery), and items without a partition.
BILIBILI = {
    '游戏': 'gaming', '小剧场': 'comedy', '鬼畜': 'comedy', '二次元': 'anime-acg', '美食': 'food',
    '影视': 'film-tv', '知识': 'knowledge-education', '音乐': 'music', '动物': 'pets-animals',
    '资讯': 'news-current-affairs', '旅游出行': 'travel-outdoors', '户外潮流': 'travel-outdoors',
    '科技数码': 'tech-digital', '人工智能': 'tech-digital', '三农': 'rural-agriculture',
    '娱乐': 'entertainment', '体育运动': 'sports', '汽车': 'cars', 'vlog': 'daily-life',
    '生活经验': 'daily-life', '时尚美妆': 'fashion-beauty', '医疗保健': 'health-fitness',
    '健身': 'health-fitness', '亲子': 'parenting-family', '手工': 'home-diy', '家装房产': 'home-diy',
    '情感': 'emotion-relationships', '绘画': 'art-design', '舞蹈': 'dance',
}
TEST_PER_LABEL = {'en': 13, 'zh': 14}
CALIBRATION_PER_LABEL = 12

YOUTUBE_SOURCE = {'repository': 'paulamoyani/youtubebycategories', 'path': 'USvideos.csv', 'commit': '4c1644ba369f03466329d721594e1e26e6177967'}
BILIBILI_SOURCE = {'repository': 'XXXXXTTTTT/BigDataProject', 'path': 'dataCrawler/hot_videos.sql', 'commit': 'e9e45e56983765c5614240a2aae2325aae9b9cdb'}

SQL_COLUMNS = ['timestamp', 'aid', 'videos', 'tid', 'tname', 'copyright', 'pic', 'title', 'pubdate', 'ctime', 'desc', 'state',
               'duration', 'tnamev2', 'pid_name_v2', 'short_link_v2', 'dynamic', 'stat_view', 'stat_danmaku', 'stat_reply',
               'stat_favorite', 'stat_coin', 'stat_share', 'stat_now_rank', 'stat_his_rank', 'stat_like', 'stat_dislike',
               'stat_vt', 'stat_vv', 'stat_fav_g', 'stat_like_g', 'owner_mid', 'owner_name', 'owner_face', 'tags', 'formatted_time']


def sql_values(line):
    """The values of one MySQL dump INSERT line (quoted strings with backslash escapes, bare numbers, NULL)."""
    i, out = line.index('VALUES (') + 8, []
    while line[i] != ')':
        if line[i] in ' ,':
            i += 1
        elif line[i] == "'":
            i, text = i + 1, ''
            while line[i] != "'" or line[i + 1:i + 2] == "'":
                if line[i] == '\\':
                    text += {'n': '\n', 'r': '\r', 't': '\t', '0': '\0'}.get(line[i + 1], line[i + 1])
                    i += 2
                elif line[i] == "'":
                    text += "'"
                    i += 2
                else:
                    text += line[i]
                    i += 1
            out.append(text)
            i += 1
        else:
            token = re.match(r'[^,)]+', line[i:]).group(0)
            out.append(None if token == 'NULL' else token)
            i += len(token)
    return dict(zip(SQL_COLUMNS, out))


def youtube_items(path):
    seen = set()
    with open(path, encoding='utf-8') as f:
        for row in csv.DictReader(f):
            label = YOUTUBE.get(row['category'])
            video = re.search(r'/vi/([^/]+)/', row['thumbnail_link'])
            if not label or not video or row['title'] in seen:
                continue
            seen.add(row['title'])
            yield {'lang': 'en', 'title': row['title'], 'label': label, 'platform': 'youtube', 'platformCategory': row['category'],
                   'url': f'https://www.youtube.com/watch?v={video.group(1)}', 'source': YOUTUBE_SOURCE}


def bilibili_items(path):
    seen = set()
    with open(path, encoding='utf-8') as f:
        for line in f:
            if not line.startswith('INSERT'):
                continue
            row = sql_values(line)
            label = BILIBILI.get(row['pid_name_v2'] or '')
            if not label or row['aid'] in seen:
                continue
            seen.add(row['aid'])
            yield {'lang': 'zh', 'title': row['title'], 'label': label, 'platform': 'bilibili',
                   'platformCategory': f"{row['pid_name_v2']}/{row['tnamev2']}", 'url': row['short_link_v2'], 'source': BILIBILI_SOURCE}


def split(items, lang, rng):
    by_label = {}
    for item in items:
        by_label.setdefault(item['label'], []).append(item)
    test, calibration = [], []
    for label in sorted(by_label):
        group = by_label[label]
        rng.shuffle(group)
        test += group[:TEST_PER_LABEL[lang]]
        calibration += group[TEST_PER_LABEL[lang]:TEST_PER_LABEL[lang] + CALIBRATION_PER_LABEL]
    return test, calibration


def main(youtube_csv, bilibili_sql):
    rng = random.Random('personaact-labels-v1')
    en_test, en_cal = split(youtube_items(youtube_csv), 'en', rng)
    zh_test, zh_cal = split(bilibili_items(bilibili_sql), 'zh', rng)
    for name, items in (('titles.jsonl', en_test + zh_test), ('calibration.jsonl', en_cal + zh_cal)):
        with open(f'data/labels/{name}', 'w', encoding='utf-8') as out:
            for n, item in enumerate(items):
                out.write(json.dumps({'id': f"{item['lang']}-{n:04d}", **item}, ensure_ascii=False) + '\n')
        print(f'{name}: {len(items)} titles ({sum(i["lang"] == "en" for i in items)} en, {sum(i["lang"] == "zh" for i in items)} zh)')


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit('usage: build.py USvideos.csv hot_videos.sql')
    main(sys.argv[1], sys.argv[2])
