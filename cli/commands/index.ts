/**
 * Every top-level command of `personaact`. To add one: write `cli/commands/<name>.ts` exporting
 * `register<Name>Command(program: Command): void` and list it here.
 */
import type { Command } from 'commander';
import { registerAccountCommand } from './account';
import { registerAdapterCommand } from './adapter';
import { registerAuditCommand } from './audit';
import { registerCaptchaCommand } from './captcha';
import { registerDatasetCommand } from './dataset';
import { registerDemoCommand } from './demo';
import { registerDevCommand } from './dev';
import { registerEvalCommand } from './eval';
import { registerExportCommand } from './export';
import { registerPersonaCommand } from './persona';
import { registerScheduleCommand } from './schedule';
import { registerCodecServerCommand, registerSecretsCommand } from './secrets';
import { registerSeriesCommand } from './series';
import { registerStudyCommand } from './study';
import { registerTrainCommand } from './train';
import { registerWorkerCommand } from './worker';

export const commandRegistrars: ReadonlyArray<(program: Command) => void> = [registerDevCommand, registerDemoCommand, registerWorkerCommand, registerAuditCommand, registerStudyCommand, registerScheduleCommand, registerSeriesCommand, registerCaptchaCommand, registerAccountCommand, registerAdapterCommand, registerPersonaCommand, registerSecretsCommand, registerCodecServerCommand, registerDatasetCommand, registerTrainCommand, registerEvalCommand, registerExportCommand];
