/**
 * Workflow input is checked where the workflow starts. A schema's `parse` would throw a ZodError,
 * which Temporal treats as a workflow-task failure and retries forever; a non-retryable
 * ApplicationFailure fails the workflow at once, its message naming the field.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import type { z } from 'zod';
import { formatZodError } from '../core/zod-error';

export const INVALID_WORKFLOW_INPUT = 'InvalidWorkflowInput';

export function parseWorkflowInput<S extends z.ZodType>(schema: S, value: unknown, source: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw ApplicationFailure.create({ type: INVALID_WORKFLOW_INPUT, nonRetryable: true, message: formatZodError(parsed.error, source) });
}
