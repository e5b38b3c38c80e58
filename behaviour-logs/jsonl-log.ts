/**
 * The neutral JSONL log (docs/log-formats.md): one step per line, each a JSON object with the log
 * model's own field names (core/behaviour-log.ts LogStep). Unknown fields are errors, so a typo
 * ("watch_seconds") is caught instead of silently dropped. Blank lines are allowed.
 */
import { LogStepSchema, type LogStep } from '../core/behaviour-log';
import { LogFormatError, parseJsonText } from './log-format-error';

const JsonlStepSchema = LogStepSchema.strict();

export function parseJsonlLog(text: string, file: string): LogStep[] {
  const steps: LogStep[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const where = `${file}:${index + 1}`;
    const parsed = JsonlStepSchema.safeParse(parseJsonText(line, where));
    if (!parsed.success) throw LogFormatError.fromZod(parsed.error, where);
    steps.push(parsed.data);
  });
  if (steps.length === 0) throw new LogFormatError(`${file}: no steps (the file has no non-blank lines)`);
  return steps;
}
