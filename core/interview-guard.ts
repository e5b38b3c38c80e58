/**
 * The interview's privacy guard. A persona needs motives, never identity: no question may ask
 * for a name, an address or a way to contact someone, and no answer may carry contact data (it
 * would end up in the transcript and the persona). Pure, so the workflow's Update validator and
 * the activities share one list.
 */

interface BannedTopic {
  readonly topic: string;
  readonly pattern: RegExp;
}

/** Questions that ask for these are refused; matched case-insensitively anywhere in the question. */
export const BANNED_QUESTION_TOPICS: readonly BannedTopic[] = [
  { topic: 'a name', pattern: /\b(?:your|their|his|her)\s+(?:[\p{L}-]+'?s?'?\s+)?(?:full\s+|real\s+|first\s+|last\s+|family\s+|sur|nick)?names?\b/iu },
  { topic: 'a name', pattern: /\bwhat\s+(?:are\s+you|is\s+s?he|are\s+they)\s+called\b|\bwho\s+are\s+(?:your|the)\s+(?:friends?|family|people)\b|\bname\s+(?:the|your|a|some)\s+(?:friends?|people|persons?|family|relatives?)\b/i },
  { topic: 'an address', pattern: /\b(?:home|street|postal|mailing|house|ip)\s+address\b|\byour\s+address\b|\bwhere\s+(?:exactly\s+)?do\s+you\s+live\b|\b(?:zip|post)\s*code\b|\bwhich\s+(?:street|neighbou?rhood|building)\b/i },
  { topic: 'contact details', pattern: /\b(?:phone|mobile|cell|telephone)\s*(?:number|no\.|#)|\b(?:whatsapp|wechat|line|telegram|signal|qq)\s+(?:number|id|account|handle)\b|\b(?:call|text|message)\s+you\b/i },
  { topic: 'contact details', pattern: /\be-?mail\b|\bcontact\s+(?:details|info(?:rmation)?|you)\b|\breach\s+you\b/i },
  { topic: 'contact details', pattern: /\b(?:social[-\s]media|instagram|twitter|facebook|snapchat|tiktok|douyin|bilibili|weibo|youtube)\s+(?:handles?|usernames?|ids?|profiles?)\b|\busernames?\b|\buser\s*ids?\b|\byour\s+handle\b|\bprofile\s+links?\b/i },
];

/** The banned topic a question asks for, or undefined when it may be asked. */
export function bannedTopicOf(question: string): string | undefined {
  return BANNED_QUESTION_TOPICS.find((banned) => banned.pattern.test(question))?.topic;
}

const CONTACT_DATA: readonly BannedTopic[] = [
  { topic: 'an e-mail address', pattern: /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/u },
  // Seven or more digits with the usual separators: a phone number, not "3 seconds" or "2024".
  { topic: 'a phone number', pattern: /(?:\+|\b)\d(?:[\s().-]?\d){6,}\b/u },
  { topic: 'a social-media handle', pattern: /(?:^|[\s(])@[\p{L}\p{N}_.]{2,}/u },
  { topic: 'a link', pattern: /\bhttps?:\/\/|\bwww\.[\p{L}\p{N}-]+\./iu },
];

/** What contact data an answer carries, or undefined. */
export function contactDataIn(answer: string): string | undefined {
  return CONTACT_DATA.find((kind) => kind.pattern.test(answer))?.topic;
}
