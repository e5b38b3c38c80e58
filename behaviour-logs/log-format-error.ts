/**
 * A behaviour-log file the importers cannot read. The message names the file, the position (line,
 * JSON path or step) and the field, so a researcher can fix the file; `userFacing` makes the CLI
 * print it without a stack trace.
 */
import type { z } from 'zod';
import { formatZodError } from '../core/zod-error';

export class LogFormatError extends Error {
  readonly userFacing = true;
  constructor(message: string) {
    super(message);
    this.name = 'LogFormatError';
  }

  /** One line per zod issue, each "<where>: <json path>: <problem>". */
  static fromZod(error: z.ZodError, where: string): LogFormatError {
    return new LogFormatError(formatZodError(error, where));
  }
}

/** "line 3, column 14" of a character offset ("column 14" alone in one line of a JSONL file). */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const column = `column ${offset - before.lastIndexOf('\n')}`;
  return text.includes('\n') ? `line ${before.split('\n').length}, ${column}` : column;
}

/**
 * JSON.parse with an error that says where: the line and column of the first bad character, or
 * that the text ends early (a truncated download or copy).
 */
export function parseJsonText(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message)?.[1];
    if (/end of JSON input/.test(message) || (position !== undefined && Number(position) >= text.trimEnd().length)) {
      throw new LogFormatError(`${where}: truncated JSON: the text ends at ${lineAndColumn(text, text.trimEnd().length)} before the document is complete`);
    }
    const at = position === undefined ? '' : ` at ${lineAndColumn(text, Number(position))}`;
    throw new LogFormatError(`${where}: not valid JSON${at}: ${message}`);
  }
}
