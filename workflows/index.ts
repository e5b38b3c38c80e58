/** The workflow bundle's entry point: every workflow the workers run. */
export { auditWorkflow, progressQuery } from './audit';
export { challengeResolvedUpdate } from './challenge';
export { accountLoginWorkflow, loginProgressQuery, signedInUpdate } from './account-login';
export { answerUpdate, currentQuestionQuery, interviewProgressQuery, personaInterviewWorkflow } from './interview';
export { trainingPipelineWorkflow, trainingProgressQuery } from './training';
export { studyProgressQuery, studyWorkflow } from './study';
export { seriesSessionWorkflow } from './series';
export { accountLockWorkflow } from './account-lock';
