/**
 * Reads behaviour logs from files and folders into the one log model (core/behaviour-log.ts):
 * the paper's session JSON, the neutral JSONL (docs/log-formats.md) and TikTok's data export. A
 * folder contributes its *.json and *.jsonl files (not its subfolders). Every file is decoded as
 * strict UTF-8 and validated before anything is returned, and every error names the file, the
 * position and the field.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { BehaviourLogSchema, type BehaviourLog, type LogStep } from '../core/behaviour-log';
import { formatZodError } from '../core/zod-error';
import { parseJsonlLog } from './jsonl-log';
import { LogFormatError, parseJsonText } from './log-format-error';
import { isPaperSession, paperSessionSteps, parsePaperSession } from './paper-session';
import { isTiktokExport, parseTiktokExport } from './tiktok-export';

const LOG_EXTENSIONS = new Set(['.json', '.jsonl']);

export interface ImportOptions {
  /** Who the log belongs to (a pseudonym); default: the paper's collector, else the first path's name. */
  readonly user?: string;
}

/** One file's steps; `collector` only for the paper's sessions, which name their user. */
interface ImportedFile {
  readonly file: string;
  readonly steps: LogStep[];
  readonly collector?: string;
}

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code;

/** Strict UTF-8; on a bad byte, says on which line (counted in the text decoded so far). */
function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const lenient = new TextDecoder('utf-8').decode(bytes);
    const before = lenient.slice(0, Math.max(0, lenient.indexOf('\uFFFD')));
    const line = before.split('\n').length;
    throw new LogFormatError(`${file}: not UTF-8 text: invalid byte sequence at line ${line}, column ${before.length - before.lastIndexOf('\n')} (save the file as UTF-8)`);
  }
}

async function importFile(file: string): Promise<ImportedFile> {
  const extension = extname(file).toLowerCase();
  if (!LOG_EXTENSIONS.has(extension)) throw new LogFormatError(`${file}: unsupported file type "${extension}": expected .json (paper session, TikTok export) or .jsonl`);
  const text = decodeUtf8(await readFile(file), file);
  if (extension === '.jsonl') return { file, steps: parseJsonlLog(text, file) };
  const json = parseJsonText(text, file);
  if (isPaperSession(json)) {
    const session = parsePaperSession(json, file);
    return { file, steps: paperSessionSteps(session), collector: session.collector };
  }
  if (isTiktokExport(json)) return { file, steps: parseTiktokExport(json, file) };
  throw new LogFormatError(`${file}: unknown log format: expected a paper session (session_id, actions) or a TikTok export (Activity); neutral logs use .jsonl`);
}

/** The files a path stands for: itself, or a folder's log files in name order. */
async function filesOf(path: string): Promise<string[]> {
  let isFolder: boolean;
  try {
    isFolder = (await stat(path)).isDirectory();
  } catch (error) {
    throw new LogFormatError(`${path}: ${errorCode(error) === 'ENOENT' ? 'no such file or folder' : (error as Error).message}`);
  }
  if (!isFolder) return [path];
  // Plain code-unit order, not localeCompare: the result must not depend on the machine's locale.
  const names = (await readdir(path)).filter((name) => LOG_EXTENSIONS.has(extname(name).toLowerCase())).sort();
  if (names.length === 0) throw new LogFormatError(`${path}: empty folder: no .json or .jsonl log files in it`);
  return names.map((name) => join(path, name));
}

/** When a file's viewing began: its first step's end minus its watch time. */
const startMs = (imported: ImportedFile) => {
  const first = imported.steps[0];
  return first ? Date.parse(first.time) - first.watchSeconds * 1000 : Number.POSITIVE_INFINITY;
};

function userOf(imported: readonly ImportedFile[], paths: readonly string[], options: ImportOptions): string {
  if (options.user) return options.user;
  const collectors = new Map<string, string>();
  for (const { collector, file } of imported) if (collector && !collectors.has(collector)) collectors.set(collector, file);
  if (collectors.size > 1) {
    const listed = [...collectors].map(([collector, file]) => `"${collector}" (${file})`).join(', ');
    throw new LogFormatError(`the logs belong to several users: ${listed}; import one user at a time`);
  }
  return [...collectors.keys()][0] ?? basename(paths[0] as string, extname(paths[0] as string));
}

/**
 * One user's log from files and folders. Files are ordered by when their viewing began, so
 * sessions are in time order; steps keep their order within each file.
 */
export async function importLogs(paths: readonly string[], options: ImportOptions = {}): Promise<BehaviourLog> {
  if (paths.length === 0) throw new LogFormatError('no log paths given');
  const files = (await Promise.all(paths.map(filesOf))).flat();
  const imported: ImportedFile[] = [];
  for (const file of files) imported.push(await importFile(file));
  const ordered = imported.map((f, i) => ({ f, i, start: startMs(f) })).sort((x, y) => x.start - y.start || x.i - y.i).map((x) => x.f);
  const log = { schemaVersion: 1, user: userOf(imported, paths, options), sources: files, steps: ordered.flatMap((f) => f.steps) };
  if (log.steps.length === 0) throw new LogFormatError(`${paths.join(', ')}: no viewed videos in the logs`);
  const parsed = BehaviourLogSchema.safeParse(log);
  if (!parsed.success) throw new LogFormatError(formatZodError(parsed.error, 'imported log'));
  return parsed.data;
}
