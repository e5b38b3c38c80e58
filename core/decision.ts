/**
 * What the policy decides for one video, and the paper's action-block format for it: a Python code
 * block of calls such as
 *
 *     watch(12.5)
 *     like()
 *     comment("nice")
 *     share("friend")
 *     not_interested()
 *
 * The released data writes several calls on one line (`watch(3.2), like(), comment(好看)`), with
 * unquoted text and keyword arguments (`watch(second=5.0)`); the parser accepts all of these.
 */
import { z } from 'zod';

export const DecisionSchema = z.object({
  watchSeconds: z.number().nonnegative(),
  like: z.boolean().default(false),
  comment: z.string().min(1).optional(),
  /** Present when the video is shared; the target may be empty ("share with no one in particular"). */
  share: z.string().optional(),
  /** The platform's explicit negative-feedback control. A quick skip is a short watchSeconds, not this. */
  notInterested: z.boolean().default(false),
});

export type Decision = z.output<typeof DecisionSchema>;
export type DecisionInput = z.input<typeof DecisionSchema>;

export type ActionBlockParse = { ok: true; decision: Decision } | { ok: false; error: string; line?: number };

const ACTIONS = ['watch', 'like', 'comment', 'share', 'not_interested'] as const;
type Action = (typeof ACTIONS)[number];

/** Argument names in the paper's prompt: watch(second: float = 5.0), comment(text), share(who). */
const KEYWORD: Record<Action, string | undefined> = {
  watch: 'second',
  like: undefined,
  comment: 'text',
  share: 'who',
  not_interested: undefined,
};

/** The prompt's signature gives watch() a default of 5 s. */
const DEFAULT_WATCH_SECONDS = 5;

interface Call {
  action: Action;
  /** undefined for empty parentheses. */
  argument: string | undefined;
}

const isAction = (name: string): name is Action => (ACTIONS as readonly string[]).includes(name);

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '\\': '\\', "'": "'", '"': '"' };

/** Reads a quoted string starting at `start` (the quote); returns its value and the index after it. */
function readQuoted(line: string, start: number): { value: string; end: number } | string {
  const quote = line[start];
  let value = '';
  for (let i = start + 1; i < line.length; i++) {
    const ch = line[i] as string;
    if (ch === quote) return { value, end: i + 1 };
    if (ch !== '\\') {
      value += ch;
      continue;
    }
    const next = line[i + 1] ?? '';
    const hex = line.slice(i + 2, i + 6);
    if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(hex)) {
      value += String.fromCharCode(parseInt(hex, 16));
      i += 5;
    } else {
      value += ESCAPES[next] ?? `\\${next}`;
      i += 1;
    }
  }
  return 'unterminated string';
}

/** Reads the argument of `action` after its "(", up to and including the matching ")". */
function readArgument(line: string, action: Action, start: number): { argument: string | undefined; end: number } | string {
  let i = start;
  const keyword = KEYWORD[action];
  const named = keyword ? new RegExp(`^\\s*${keyword}\\s*=(?!=)\\s*`).exec(line.slice(i)) : null;
  if (named) i += named[0].length;
  while (line[i] === ' ' || line[i] === '\t') i++;

  if (line[i] === '"' || line[i] === "'") {
    const quoted = readQuoted(line, i);
    if (typeof quoted === 'string') return quoted;
    let end = quoted.end;
    while (line[end] === ' ' || line[end] === '\t') end++;
    if (line[end] !== ')') return `expected ")" after the string argument of ${action}()`;
    return { argument: quoted.value, end: end + 1 };
  }

  // Unquoted text, as the released data writes comments: take everything up to the matching ")".
  let depth = 1;
  for (let j = i; j < line.length; j++) {
    if (line[j] === '(') depth++;
    else if (line[j] === ')' && --depth === 0) {
      const text = line.slice(i, j).trim();
      return { argument: text === '' ? undefined : text, end: j + 1 };
    }
  }
  return `missing ")" for ${action}(`;
}

function readCalls(line: string): Call[] | string {
  const calls: Call[] = [];
  let i = 0;
  while (i < line.length) {
    const ch = line[i] as string;
    if (/[\s,;]/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '#') break;
    const name = /^[A-Za-z_]\w*/.exec(line.slice(i))?.[0];
    if (!name) return `unexpected "${line.slice(i)}"`;
    if (!isAction(name)) return `unknown action "${name}" (expected ${ACTIONS.map((a) => `${a}()`).join(', ')})`;
    i += name.length;
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (line[i] !== '(') return `expected "(" after ${name}`;
    const read = readArgument(line, name, i + 1);
    if (typeof read === 'string') return read;
    calls.push({ action: name, argument: read.argument });
    i = read.end;
  }
  return calls;
}

/** The lines of the first fenced code block (or of the whole text when there is none). */
function actionLines(text: string): { lines: string[]; firstLineNumber: number } {
  const open = /```[^\n]*\n/.exec(text);
  if (!open) return { lines: text.split('\n'), firstLineNumber: 1 };
  const start = open.index + open[0].length;
  const close = text.indexOf('```', start);
  return {
    lines: text.slice(start, close === -1 ? undefined : close).split('\n'),
    firstLineNumber: text.slice(0, start).split('\n').length,
  };
}

/**
 * Parses an action block. Errors name the line (numbered within `text`). A block without watch()
 * watches 0 s: the paper scores a predicted non-watch action as 0 s.
 */
export function parseActionBlock(text: string): ActionBlockParse {
  const { lines, firstLineNumber } = actionLines(text);
  const seenOn = new Map<Action, number>();
  const decision: Decision = { watchSeconds: 0, like: false, notInterested: false };

  for (const [offset, raw] of lines.entries()) {
    const line = raw.trim();
    const lineNumber = firstLineNumber + offset;
    const fail = (problem: string): ActionBlockParse => ({ ok: false, error: `line ${lineNumber}: ${problem} in "${line}"`, line: lineNumber });
    const calls = readCalls(line);
    if (typeof calls === 'string') return fail(calls);

    for (const { action, argument } of calls) {
      const firstSeen = seenOn.get(action);
      if (firstSeen !== undefined) return fail(`${action}() given twice (first on line ${firstSeen})`);
      seenOn.set(action, lineNumber);
      switch (action) {
        case 'watch': {
          const seconds = argument === undefined ? DEFAULT_WATCH_SECONDS : Number(argument);
          if (!Number.isFinite(seconds) || seconds < 0) return fail(`watch() needs a non-negative number of seconds, got "${argument}"`);
          decision.watchSeconds = seconds;
          break;
        }
        case 'like':
        case 'not_interested':
          if (argument !== undefined) return fail(`${action}() takes no argument`);
          if (action === 'like') decision.like = true;
          else decision.notInterested = true;
          break;
        case 'comment':
          if (!argument) return fail('comment() needs text');
          decision.comment = argument;
          break;
        case 'share':
          decision.share = argument ?? '';
          break;
      }
    }
  }
  if (seenOn.size === 0) return { ok: false, error: 'no action found: expected lines such as watch(12.5) and like()' };
  return { ok: true, decision };
}

/** The canonical block for a decision: one call per line in a python fence; parses back to an equal decision. */
export function formatActionBlock(decision: Decision): string {
  const calls = [`watch(${decision.watchSeconds})`];
  if (decision.like) calls.push('like()');
  if (decision.comment !== undefined) calls.push(`comment(${JSON.stringify(decision.comment)})`);
  if (decision.share !== undefined) calls.push(decision.share === '' ? 'share()' : `share(${JSON.stringify(decision.share)})`);
  if (decision.notInterested) calls.push('not_interested()');
  return ['```python', ...calls, '```'].join('\n');
}
