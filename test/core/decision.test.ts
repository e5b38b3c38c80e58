import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecisionSchema, formatActionBlock, parseActionBlock, type Decision } from '../../core';

function parsed(text: string): Decision {
  const result = parseActionBlock(text);
  assert.ok(result.ok, result.ok ? '' : result.error);
  return result.decision;
}

function failure(text: string): { error: string; line?: number } {
  const result = parseActionBlock(text);
  assert.ok(!result.ok, 'expected the block to be rejected');
  return result;
}

test('one call per line inside a python fence, after the paper\'s description lines', () => {
  const text = ['视频内容：包饺子', '分类：美食-美食制作', '', '```python', 'watch(12.5)', 'like()', 'comment("nice")', 'share("friend")', '```'].join('\n');
  assert.deepEqual(parsed(text), { watchSeconds: 12.5, like: true, comment: 'nice', share: 'friend', notInterested: false });
});

test('the released data\'s form: several calls on one line, unquoted text, keyword arguments', () => {
  assert.deepEqual(parsed('watch(3.2), like(), comment(好看, 真的)'), { watchSeconds: 3.2, like: true, comment: '好看, 真的', notInterested: false });
  assert.deepEqual(parsed("watch(second=8); share(who='mum'); not_interested()"), { watchSeconds: 8, like: false, share: 'mum', notInterested: true });
});

test('watch() without a number uses the prompt\'s default of 5 s; a block without watch() watches 0 s', () => {
  assert.equal(parsed('watch()').watchSeconds, 5);
  assert.deepEqual(parsed('like()'), { watchSeconds: 0, like: true, notInterested: false });
});

test('comments on a line and blank lines are ignored', () => {
  assert.deepEqual(parsed('```\n# the persona likes food\nwatch(4)  # stays a bit\n\n```'), { watchSeconds: 4, like: false, notInterested: false });
});

test('an unknown action is rejected with its line number (counted in the whole text) and text', () => {
  const { error, line } = failure('视频内容：猫\n```python\nwatch(2)\nfollow()\n```');
  assert.equal(line, 4);
  assert.equal(error, 'line 4: unknown action "follow" (expected watch(), like(), comment(), share(), not_interested()) in "follow()"');
});

test('malformed calls are rejected naming the line', () => {
  assert.match(failure('watch(abc)').error, /^line 1: watch\(\) needs a non-negative number of seconds, got "abc"/);
  assert.match(failure('watch(-1)').error, /^line 1: watch\(\) needs a non-negative number/);
  assert.match(failure('watch(2)\nwatch(3)').error, /^line 2: watch\(\) given twice \(first on line 1\)/);
  assert.match(failure('like(1)').error, /^line 1: like\(\) takes no argument/);
  assert.match(failure('comment("")').error, /^line 1: comment\(\) needs text/);
  assert.match(failure('comment("open').error, /^line 1: unterminated string/);
  assert.match(failure('watch(3').error, /^line 1: missing "\)" for watch\(/);
  assert.match(failure('watch 3').error, /^line 1: expected "\(" after watch/);
});

test('an empty block is not a decision', () => {
  assert.equal(failure('```python\n```').error, 'no action found: expected lines such as watch(12.5) and like()');
});

test('formatActionBlock writes the canonical block', () => {
  const decision = DecisionSchema.parse({ watchSeconds: 12.5, like: true, comment: 'nice' });
  assert.equal(formatActionBlock(decision), '```python\nwatch(12.5)\nlike()\ncomment("nice")\n```');
});

test('format then parse round-trips every field, including quotes, newlines and an empty share target', () => {
  const decisions: Decision[] = [
    { watchSeconds: 0, like: false, notInterested: false },
    { watchSeconds: 12.5, like: true, comment: 'nice', share: 'friend', notInterested: false },
    { watchSeconds: 0.1, like: false, comment: 'say "hi"\nthen \\ (leave)', share: '', notInterested: true },
    { watchSeconds: 1e-7, like: true, comment: "it's 好看", notInterested: false },
  ];
  for (const decision of decisions) assert.deepEqual(parsed(formatActionBlock(decision)), decision);
});
