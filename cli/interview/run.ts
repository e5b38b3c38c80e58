/**
 * `personaact persona interview`: starts (or resumes) a persona interview workflow and plays the
 * person's side — shows each question, reads the answer (stdin, or an answers file for scripted
 * runs), sends it as the `answer` Update. Ctrl-C or the end of input leave the interview waiting
 * in Temporal, durably; `--resume <id>` continues it later, on any machine.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { withClient, type TemporalClient } from '../../clients/connection';
import { interviewHandle, startInterview as startInterviewWorkflow, type InterviewHandle } from '../../clients/interview';
import { failureMessage } from '../../clients/workflow-state';
import { QUESTION_BANK } from '../../activities/interview/question-bank';
import type { InterviewAnswer, InterviewProgress, Interviewer } from '../../core/interview';
import type { Persona } from '../../core/persona';
import { KeySegmentSchema } from '../../core/primitives';
import { answerUpdate, interviewProgressQuery, type PersonaInterviewResult } from '../../workflows/interview';
import { openCliStore } from '../audit/store';
import type { CliConfig } from '../config';
import { UserError } from '../errors';
import { defaultPersonaId, loadLogs } from '../persona/build';
import { writePersonaFile } from '../persona/files';
import { pct, secs } from '../persona/show';


export interface InterviewOptions {
  logs?: string[];
  id?: string;
  name?: string;
  user?: string;
  resume?: string;
  answersFile?: string;
  interviewer: Interviewer;
  out?: string;
  json?: boolean;
}

export interface InterviewIo {
  /** Questions, progress and the result (stderr with --json, so stdout holds only the persona). */
  say(line: string): void;
  /** Where answers come from when there is no answers file. */
  input: NodeJS.ReadableStream;
  print(text: string): void;
}

/** How long the CLI waits for a worker to show the next question before it says that none is there. */
const QUESTION_WAIT_MS = 60_000;
const QUERY_TIMEOUT_MS = 5_000;

export const SKIP_COMMAND = '/skip';
export const FINISH_COMMAND = '/finish';

/** "interview-user-a-20261125T203800-3fa9": sortable, says whose, unique. */
function newInterviewId(personaId: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '');
  return `interview-${personaId}-${stamp}-${randomBytes(2).toString('hex')}`;
}

/** Lines one at a time; undefined at the end of input or on Ctrl-C. File mode drops blank lines and # comments. */
function lineReader(input: NodeJS.ReadableStream, fromFile: boolean) {
  const rl = createInterface({ input, crlfDelay: Infinity, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const close = () => rl.close();
  process.once('SIGINT', close);
  return {
    async next(): Promise<string | undefined> {
      for (;;) {
        const { value, done } = await lines.next();
        if (done) return undefined;
        const line = (value as string).trim();
        if (!fromFile || (line !== '' && !line.startsWith('#'))) return line;
      }
    },
    close() {
      process.off('SIGINT', close);
      rl.close();
    },
  };
}

function replyOf(line: string): Omit<InterviewAnswer, 'questionId'> {
  if (line === SKIP_COMMAND) return { skip: true };
  if (line === FINISH_COMMAND) return { finish: true };
  return { answer: line };
}

async function queryProgress(client: TemporalClient, handle: InterviewHandle): Promise<InterviewProgress | undefined> {
  try {
    return await client.client.connection.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => handle.query(interviewProgressQuery));
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw new UserError(`no interview "${handle.workflowId}" (see \`personaact persona interviews\`)`);
    return undefined;
  }
}

/** Polls until a question waits, or the interview is over. */
async function waitForQuestion(client: TemporalClient, handle: InterviewHandle): Promise<InterviewProgress> {
  const deadline = Date.now() + QUESTION_WAIT_MS;
  for (;;) {
    const progress = await queryProgress(client, handle);
    if (progress && (progress.question || progress.status === 'SYNTHESIZING' || progress.status === 'COMPLETED')) return progress;
    if (!progress) {
      const { status } = await handle.describe();
      if (status.name !== 'RUNNING') return { status: 'COMPLETED', question: null } as InterviewProgress;
    }
    if (Date.now() > deadline) {
      throw new UserError(`interview ${handle.workflowId} shows no question after ${QUESTION_WAIT_MS / 1000} s: is a worker running (\`personaact worker\`)? ` +
        `Resume later with \`personaact persona interview --resume ${handle.workflowId}\``);
    }
    await new Promise((done) => setTimeout(done, 250));
  }
}

function header(progress: InterviewProgress): string {
  const question = progress.question!;
  const section = progress.sections.find((s) => s.name === question.section);
  const within = section ? ` ${section.asked + 1}/${section.turns}` : '';
  return `[${question.section}${within} · question ${question.id.replace(/^q/, '')} of at most ${progress.plannedTurns}]`;
}

async function startInterview(client: TemporalClient, options: InterviewOptions, say: (line: string) => void): Promise<InterviewHandle> {
  const logs = options.logs ?? [];
  // Read and validated here first: a bad file is reported before anything starts.
  const { log } = await loadLogs(logs, options.user, say);
  const personaId = options.id ?? defaultPersonaId(log.user);
  const interviewId = newInterviewId(personaId);
  try {
    const handle = await startInterviewWorkflow(client.client, interviewId, {
      persona: { id: personaId, name: options.name ?? `User ${log.user}` }, logs: logs.map((p) => resolve(p)), settings: { interviewer: options.interviewer },
    });
    say(`Started interview ${interviewId} for persona ${personaId} (interviewer: ${options.interviewer}).`);
    return handle;
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) throw new UserError(`interview ${interviewId} exists already; try again`);
    throw error;
  }
}

function summary(persona: Persona): string {
  const { stats } = persona;
  return `${persona.id}: ${stats.steps} steps, like ${pct(stats.likeRate)}, quick skip ${pct(stats.quickSkipRate)}, median watch ${secs(stats.watchSeconds.p50)}`;
}

/** Runs the interview from the person's side until it ends, or until input ends (then it waits, resumable). */
export async function runInterview(config: CliConfig, options: InterviewOptions, io: InterviewIo): Promise<PersonaInterviewResult | undefined> {
  if ((options.resume === undefined) === (options.logs === undefined)) {
    throw new UserError('give --logs to start an interview, or --resume <interview-id> to continue one (not both)');
  }
  if (options.resume !== undefined && !KeySegmentSchema.safeParse(options.resume).success) throw new UserError(`"${options.resume}" is not an interview id`);
  if (options.answersFile !== undefined) {
    await access(options.answersFile).catch(() => {
      throw new UserError(`cannot read answers file ${options.answersFile}: no such file`);
    });
  }
  const { say } = io;
  return withClient(config, async (client) => {
    const handle: InterviewHandle = options.resume !== undefined
      ? interviewHandle(client.client, options.resume)
      : await startInterview(client, options, say);
    const interviewId = handle.workflowId;
    const resumeHint = `The interview waits; continue it with: personaact persona interview --resume ${interviewId}`;
    const lines = lineReader(options.answersFile !== undefined ? createReadStream(options.answersFile) : io.input, options.answersFile !== undefined);
    try {
      if (options.answersFile === undefined) say(`Answer in a line or a few sentences; ${SKIP_COMMAND} passes on a question, ${FINISH_COMMAND} ends the interview, Ctrl-C or Ctrl-D pauses it.`);
      let progress = await waitForQuestion(client, handle);
      if (options.resume === undefined && options.interviewer === 'chat-model' && progress.interviewer === QUESTION_BANK) {
        say('(the workers have no chat model configured: the question bank asks instead)');
      }
      while (progress.question) {
        const question = progress.question;
        say('');
        say(header(progress));
        say(question.text);
        const line = await lines.next();
        if (line === undefined) {
          say('');
          say(resumeHint);
          return undefined;
        }
        if (options.answersFile !== undefined) say(`> ${line}`);
        if (line === '') {
          say(`(an empty answer is not kept: type one, or ${SKIP_COMMAND} / ${FINISH_COMMAND})`);
          continue;
        }
        try {
          progress = await handle.executeUpdate(answerUpdate, { args: [{ questionId: question.id, ...replyOf(line) }] });
          if (!progress.question && progress.status !== 'COMPLETED') progress = await waitForQuestion(client, handle);
        } catch (error) {
          if (!(error instanceof WorkflowUpdateFailedError)) throw error;
          say(`not accepted: ${error.cause?.message ?? error.message}`);
        }
      }
    } finally {
      lines.close();
    }
    say('');
    say('Writing the persona…');
    const result = await handle.result().catch((error: unknown) => {
      throw error instanceof WorkflowFailedError ? new UserError(`interview ${interviewId} failed: ${failureMessage(error)}`) : error;
    });
    if (options.out !== undefined) await writePersonaFile(resolve(options.out), result.persona);
    say(`Interview ${interviewId} complete: ${result.transcript.turns.length} answers. Persona ${summary(result.persona)}`);
    say(`stored: ${openCliStore(config).locate(result.personaKey)} (transcript beside it)${options.out !== undefined ? `; written to ${resolve(options.out)}` : ''}`);
    if (options.json) io.print(`${JSON.stringify(result.persona, null, 2)}\n`);
    else say(`\n${result.persona.narrative}`);
    return result;
  });
}
