/** Turns a zod error into messages a researcher can act on: one line per issue, naming the field. */
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment, i) => {
      if (typeof segment === 'number') return `[${segment}]`;
      const name = String(segment);
      if (/^[^\s.[\]"]+$/u.test(name)) return i === 0 ? name : `.${name}`;
      return `[${JSON.stringify(name)}]`;
    })
    .join('');
}

function describe(issue: Issue): string {
  if (issue.code === 'invalid_type' && / received undefined$/.test(issue.message)) {
    return `required (expected ${issue.expected})`;
  }
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // Every alternative failed; say what each one needed.
    return issue.errors.map((alternative) => alternative.map(located).join('; ')).join(', or ');
  }
  // zod's category prefix adds nothing once the field is named.
  return issue.message.replace(/^(Invalid input|Invalid option|Too big|Too small): /, '');
}

function located(issue: Issue): string {
  return issue.path.length > 0 ? `${formatPath(issue.path)}: ${describe(issue)}` : describe(issue);
}

export function formatZodError(error: z.ZodError, source?: string): string {
  return error.issues.map((issue) => (source ? `${source}: ${located(issue)}` : located(issue))).join('\n');
}
