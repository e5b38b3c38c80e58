/**
 * The persona interview (docs/personas.md, stage 2) as a durable workflow: logs → features, then
 * section by section an activity writes the next question from the features and the answers so
 * far, the workflow shows it (queries `currentQuestion`, `interviewProgress`) and waits for the
 * person's `answer` Update — with no activity running and no timer, so an interview can be left
 * for days and resumed. At the end the persona is synthesised and stored beside the transcript.
 *
 * State stays small (the features, ~30 turns of text), so there is no continue-as-new.
 */
import { ApplicationFailure, condition, defineQuery, defineUpdate, log, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { z } from 'zod';
import type { InterviewActivities } from '../activities/interview/activities';
import {
  InterviewAnswerSchema, InterviewSettingsSchema,
  type InterviewAnswer, type InterviewProgress, type InterviewQuestion, type InterviewSettings, type InterviewStatus,
  type InterviewTranscript, type InterviewTurn,
} from '../core/interview';
import { contactDataIn } from '../core/interview-guard';
import type { Persona } from '../core/persona';
import { SlugSchema } from '../core/primitives';
import { formatZodError } from '../core/zod-error';

export const answerUpdate = defineUpdate<InterviewProgress, [InterviewAnswer]>('answer');
export const currentQuestionQuery = defineQuery<InterviewQuestion | null>('currentQuestion');
export const interviewProgressQuery = defineQuery<InterviewProgress>('interviewProgress');

export interface PersonaInterviewInput {
  persona: { id: string; name: string };
  /** Log files or folders as the main worker sees them. */
  logs: string[];
  settings?: Partial<InterviewSettings>;
}

export interface PersonaInterviewResult {
  persona: Persona;
  transcript: InterviewTranscript;
  personaKey: string;
  transcriptKey: string;
}

// Question writing may ask a chat model a few times (its own timeouts and retries inside).
const activities = proxyActivities<InterviewActivities>({ startToCloseTimeout: '5 minutes', retry: { maximumAttempts: 3 } });

const InputSchema = z.object({
  persona: z.object({ id: SlugSchema, name: z.string().min(1) }),
  logs: z.array(z.string().min(1)).min(1),
  settings: InterviewSettingsSchema.default(InterviewSettingsSchema.parse({})),
});

/** Bad input fails the workflow at once (not after the last answer, when the persona is written). */
function parseInput(input: PersonaInterviewInput): z.output<typeof InputSchema> {
  const parsed = InputSchema.safeParse(input);
  if (!parsed.success) throw ApplicationFailure.create({ type: 'InvalidInterviewInput', nonRetryable: true, message: formatZodError(parsed.error, 'interview input') });
  return parsed.data;
}

type Asked = InterviewQuestion & Pick<InterviewTurn, 'key' | 'generatedBy' | 'fallback' | 'askedAt'>;

export async function personaInterviewWorkflow(input: PersonaInterviewInput): Promise<PersonaInterviewResult> {
  const { settings, ...checked } = parseInput(input);
  const interviewId = workflowInfo().workflowId;
  const turns: InterviewTurn[] = [];
  const askedPerSection = new Map<string, number>();
  let status: InterviewStatus = 'PREPARING';
  let interviewer: string = settings.interviewer;
  let waiting: Asked | undefined;
  let reply: InterviewAnswer | undefined;

  const shown = (q: Asked | undefined): InterviewQuestion | null => (q ? { id: q.id, section: q.section, text: q.text, cites: q.cites } : null);
  const progress = (): InterviewProgress => ({
    interviewId,
    personaId: checked.persona.id,
    status,
    interviewer,
    question: shown(waiting),
    answered: turns.filter((t) => !t.skipped).length,
    skipped: turns.filter((t) => t.skipped).length,
    plannedTurns: settings.sections.reduce((sum, s) => sum + s.turns, 0),
    sections: settings.sections.map((s) => ({ name: s.name, asked: askedPerSection.get(s.name) ?? 0, turns: s.turns })),
  });
  const transcript = (): InterviewTranscript => ({ schemaVersion: 1, interviewId, interviewer, turns: [...turns] });

  setHandler(interviewProgressQuery, progress);
  setHandler(currentQuestionQuery, () => shown(waiting));
  setHandler(
    answerUpdate,
    async (answer) => {
      reply = InterviewAnswerSchema.parse(answer);
      // Answer with what comes next: the next question, or the interview's end.
      await condition(() => status !== 'ASKING' || (waiting !== undefined && waiting.id !== answer.questionId));
      return progress();
    },
    {
      validator: (answer) => {
        const parsed = InterviewAnswerSchema.safeParse(answer);
        if (!parsed.success) throw new Error(formatZodError(parsed.error, 'answer'));
        if (status !== 'ASKING' || !waiting || reply) throw new Error(`no question is waiting for an answer (the interview is ${status.toLowerCase()})`);
        if (answer.questionId !== waiting.id) {
          throw new Error(`the answer is for question ${answer.questionId}, but the question waiting is ${waiting.id}: "${waiting.text}"`);
        }
        const contact = answer.skip ? undefined : contactDataIn(answer.answer ?? '');
        if (contact) throw new Error(`the answer contains ${contact}: this interview keeps no contact details, please leave it out`);
      },
    },
  );

  const prepared = await activities.prepareInterview({ interviewId, logs: checked.logs, interviewer: settings.interviewer });
  interviewer = prepared.interviewer;
  status = 'ASKING';
  let finished = false;
  let count = 0;
  for (const section of settings.sections) {
    for (let turn = 0; turn < section.turns && !finished; turn++) {
      const next = await activities.nextInterviewQuestion({ features: prepared.features, section: section.name, turns, interviewer: settings.interviewer });
      if (!next) break;
      if (turns.some((t) => t.question === next.text)) {
        log.warn('the interviewer repeated a question; ending the section', { section: section.name, question: next.text });
        break;
      }
      count += 1;
      waiting = {
        id: `q${count}`, section: section.name, text: next.text, cites: next.cites, generatedBy: next.generatedBy, askedAt: new Date().toISOString(),
        ...(next.key ? { key: next.key } : {}), ...(next.fallback ? { fallback: next.fallback } : {}),
      };
      await condition(() => reply !== undefined);
      const answer = reply as InterviewAnswer;
      const asked = waiting;
      reply = undefined;
      waiting = undefined;
      finished = answer.finish === true;
      // "finish" alone ends the interview before this question; with an answer or skip it counts.
      if (finished && answer.skip !== true && (answer.answer ?? '').trim() === '') break;
      const { id: questionId, text: question, ...rest } = asked;
      turns.push({
        ...rest, questionId, question, cites: [...asked.cites],
        answer: answer.skip ? '' : (answer.answer ?? '').trim(),
        ...(answer.skip ? { skipped: true } : {}),
        answeredAt: new Date().toISOString(),
      });
      askedPerSection.set(section.name, (askedPerSection.get(section.name) ?? 0) + 1);
      await activities.saveInterviewTranscript(transcript());
    }
    if (finished) break;
  }

  status = 'SYNTHESIZING';
  const stored = await activities.synthesizeInterviewPersona({
    persona: checked.persona, features: prepared.features, sources: prepared.sources, transcript: transcript(), interviewer: settings.interviewer,
  });
  status = 'COMPLETED';
  return { ...stored, transcript: transcript() };
}
