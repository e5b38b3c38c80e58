/**
 * The files `personaact persona` reads and writes: the answers file of `build --answers` (an
 * interview transcript, or the simple list documented in docs/personas.md) and persona documents,
 * written atomically so a failed or interrupted build never leaves half a file behind.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { InterviewTranscriptSchema, type InterviewTranscript } from '../../core/interview';
import { PersonaSchema, type Persona } from '../../core/persona';
import { formatZodError } from '../../core/zod-error';
import { UserError } from '../errors';

/** The simple answers file: what was asked and what the person said, in order. */
const SimpleAnswersSchema = z
  .array(z.object({ question: z.string().min(1), answer: z.string(), section: z.string().min(1).optional() }).strict())
  .min(1, 'expected at least one answer');

/** Interviewer name of a transcript made from a simple answers file. */
export const ANSWERS_FILE_INTERVIEWER = 'answers-file';

async function readJson(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await readFile(file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === undefined ? 'not UTF-8 text' : (error as Error).message;
    throw new UserError(`cannot read ${what} ${file}: ${why}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UserError(`${what} ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/** An InterviewTranscript document, or a simple [{question, answer, section?}] list turned into one. */
export async function readAnswersFile(file: string): Promise<InterviewTranscript> {
  const json = await readJson(file, 'answers file');
  if (Array.isArray(json)) {
    const parsed = SimpleAnswersSchema.safeParse(json);
    if (!parsed.success) throw new UserError(`answers file ${file} is not a valid answers list:\n${formatZodError(parsed.error, file)}`);
    return {
      schemaVersion: 1,
      interviewId: `answers-${basename(file).replace(/\.[^.]*$/, '')}`,
      interviewer: ANSWERS_FILE_INTERVIEWER,
      turns: parsed.data.map((a) => ({ section: a.section ?? 'answers', question: a.question, answer: a.answer, cites: [] })),
    };
  }
  const parsed = InterviewTranscriptSchema.safeParse(json);
  if (!parsed.success) throw new UserError(`answers file ${file} is not a valid interview transcript:\n${formatZodError(parsed.error, file)}`);
  return parsed.data;
}

/** Reads and validates a persona document; every problem names the file and the field. */
export async function readPersonaFile(file: string): Promise<Persona> {
  const parsed = PersonaSchema.safeParse(await readJson(file, 'persona file'));
  if (!parsed.success) throw new UserError(`persona file ${file} is not a valid persona:\n${formatZodError(parsed.error, file)}`);
  return parsed.data;
}

/** Writes the validated persona to a temporary file beside `file`, syncs it, then renames it into place. */
export async function writePersonaFile(file: string, persona: Persona): Promise<void> {
  const text = `${JSON.stringify(PersonaSchema.parse(persona), null, 2)}\n`;
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw new UserError(`cannot write persona file ${file}: ${(error as Error).message}`);
  }
}
