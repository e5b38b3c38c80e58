/** The interview's privacy guard: questions asking for identity or contact, answers carrying contact data. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bannedTopicOf, contactDataIn } from '../../core/interview-guard';

test('questions asking for names, addresses or contact details are refused', () => {
  const banned: [string, string][] = [
    ['What is your name?', 'a name'],
    ['Could you tell me your full name, just for the record?', 'a name'],
    ['What are your friends\' names?', 'a name'],
    ['Name the friends you send videos to.', 'a name'],
    ['What is your home address?', 'an address'],
    ['Where do you live, roughly?', 'an address'],
    ['What is your postcode?', 'an address'],
    ['What is your phone number, so we can follow up?', 'contact details'],
    ['Could you give me your mobile no. in case we need more?', 'contact details'],
    ['Can I have your e-mail?', 'contact details'],
    ['What is your WeChat ID?', 'contact details'],
    ['What is your Instagram handle?', 'contact details'],
    ['What username do you use on Douyin?', 'contact details'],
  ];
  for (const [question, topic] of banned) assert.equal(bannedTopicOf(question), topic, question);
});

test('ordinary questions pass, even with words close to the banned ones', () => {
  for (const question of [
    'Do you watch mostly on your phone, or on a computer?',
    'How do you handle boredom when the feed repeats itself?',
    'You liked videos by 12 creators. Do you remember whose videos you like most?',
    'What do you do when an ad appears within the first 3 s?',
    'You shared 2% of videos. Do you message friends about them, or post them?',
  ]) {
    assert.equal(bannedTopicOf(question), undefined, question);
  }
});

test('answers with contact data are recognised; numbers about viewing are not contact data', () => {
  assert.equal(contactDataIn('Write to viewer.b@example.org'), 'an e-mail address');
  assert.equal(contactDataIn('Call +44 7700 900123 any time'), 'a phone number');
  assert.equal(contactDataIn('my number is 138 0013 8000'), 'a phone number');
  assert.equal(contactDataIn('I am @viewer_b on every app'), 'a social-media handle');
  assert.equal(contactDataIn('see https://example.org/me'), 'a link');
  for (const answer of ['I watch 3 to 5 videos, about 10 minutes at 9 pm.', 'Since 2024 I liked 58 of 939 videos.', 'Around 20:30, for 15-20 minutes.']) {
    assert.equal(contactDataIn(answer), undefined, answer);
  }
});
