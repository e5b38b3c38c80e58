/**
 * The persona interview's side effects (workflows/interview.ts): reading the logs, writing each
 * question (chat model or bank), keeping the transcript and the persona in the artifact store.
 * Keys: interviews/<id>/log.json, transcript.json, persona.json — a retried activity overwrites
 * its own object, never appends.
 */
import { ApplicationFailure } from '@temporalio/common';
import { BehaviourLogSchema } from '../../core/behaviour-log';
import type { InterviewSection, InterviewTranscript, InterviewTurn, Interviewer } from '../../core/interview';
import { PersonaSchema, type Persona } from '../../core/persona';
import { extractFeatures, type PersonaFeatures } from '../../core/persona-features';
import { personaFacts, synthesizePersona, TEMPLATE_MODEL } from '../../core/persona-synthesis';
import type { ArtifactStore } from '../../artifacts/artifact-store';
import { importLogs } from '../../behaviour-logs/import-logs';
import { LogFormatError } from '../../behaviour-logs/log-format-error';
import { ChatInterviewer, type ChatModelSettings } from './chat-model';
import { nextBankQuestion, QUESTION_BANK } from './question-bank';

export const interviewKeys = (interviewId: string) => ({
  log: `interviews/${interviewId}/log.json`,
  transcript: `interviews/${interviewId}/transcript.json`,
  persona: `interviews/${interviewId}/persona.json`,
});

export interface PrepareInterviewInput {
  interviewId: string;
  /** Log files or folders, as the worker sees them. */
  logs: string[];
  interviewer: Interviewer;
}

export interface PreparedInterview {
  features: PersonaFeatures;
  /** The log files read, for the persona's provenance. */
  sources: string[];
  /** Who writes the questions: the model's name, or "question-bank" (also when chat-model was asked for but no model is configured). */
  interviewer: string;
}

export interface NextQuestionInput {
  features: PersonaFeatures;
  section: InterviewSection;
  turns: InterviewTurn[];
  interviewer: Interviewer;
}

export interface GeneratedQuestion {
  text: string;
  cites: string[];
  generatedBy: string;
  key?: string;
  fallback?: string;
}

export interface SynthesizeInput {
  persona: { id: string; name: string };
  features: PersonaFeatures;
  sources: string[];
  transcript: InterviewTranscript;
  interviewer: Interviewer;
}

export interface InterviewActivityDeps {
  store: ArtifactStore;
  /** The chat model interviews with settings.interviewer "chat-model" use; none: the bank asks. */
  chatModel?: ChatModelSettings;
}

export function createInterviewActivities(deps: InterviewActivityDeps) {
  const { store } = deps;
  const chat = deps.chatModel ? new ChatInterviewer(deps.chatModel) : undefined;
  const modelFor = (interviewer: Interviewer) => (interviewer === 'chat-model' ? chat : undefined);

  return {
    /** Imports the logs once, keeps them with the interview (synthesis reads them there) and returns the features. */
    async prepareInterview(input: PrepareInterviewInput): Promise<PreparedInterview> {
      let log;
      try {
        log = await importLogs(input.logs);
      } catch (error) {
        // A bad or missing log file will not get better on retry.
        if (error instanceof LogFormatError) {
          throw ApplicationFailure.create({ type: 'BadLogs', nonRetryable: true, message: (error as Error).message });
        }
        throw error;
      }
      await store.putJson(interviewKeys(input.interviewId).log, log);
      return { features: extractFeatures(log), sources: log.sources, interviewer: modelFor(input.interviewer)?.settings.model ?? QUESTION_BANK };
    },

    /** The section's next question, or null when it has nothing left to ask. The bank stands in when the model fails. */
    async nextInterviewQuestion(input: NextQuestionInput): Promise<GeneratedQuestion | null> {
      const model = modelFor(input.interviewer);
      let fallback: string | undefined;
      if (model) {
        const written = await model.nextQuestion(input.features, input.section, input.turns);
        if ('value' in written) return { text: written.value.question, cites: written.value.cites, generatedBy: model.settings.model };
        fallback = written.failure;
      }
      const question = nextBankQuestion(input.features, input.section, input.turns);
      if (!question) return null;
      return { text: question.text, cites: [...question.cites], key: question.key, generatedBy: QUESTION_BANK, ...(fallback ? { fallback } : {}) };
    },

    async saveInterviewTranscript(transcript: InterviewTranscript): Promise<void> {
      await store.putJson(interviewKeys(transcript.interviewId).transcript, transcript);
    },

    /** The persona from the logs' facts and the answers (model prose, or the template when there is no model or it fails); stored. */
    async synthesizeInterviewPersona(input: SynthesizeInput): Promise<{ persona: Persona; personaKey: string; transcriptKey: string }> {
      const keys = interviewKeys(input.transcript.interviewId);
      const log = BehaviourLogSchema.parse(await store.getJson(keys.log));
      const base = { ...input.persona, log, features: input.features, transcript: input.transcript, sources: input.sources };
      const model = modelFor(input.interviewer);
      let persona: Persona | undefined;
      if (model) {
        const written = await model.writePersona(input.features, input.transcript);
        if ('value' in written) {
          persona = PersonaSchema.parse({
            id: input.persona.id, schemaVersion: 1, name: input.persona.name, ...written.value,
            ...personaFacts({ ...base, model: model.settings.model }),
          });
        } else {
          const templated = synthesizePersona({ ...base, model: TEMPLATE_MODEL });
          persona = { ...templated, provenance: { ...templated.provenance, notes: `template synthesis: ${written.failure}` } };
        }
      }
      persona ??= synthesizePersona(base);
      await store.putJson(keys.transcript, input.transcript);
      await store.putJson(keys.persona, persona);
      return { persona, personaKey: keys.persona, transcriptKey: keys.transcript };
    },
  };
}

export type InterviewActivities = ReturnType<typeof createInterviewActivities>;
