/**
 * With payload encryption on, failure messages and stack traces are payloads too: Temporal's
 * default failure converter moves them into `encoded_attributes`, which the payload codec then
 * encrypts, so history keeps only "Encoded failure" in plain text. Loaded by path
 * (`failureConverterPath`): workflow code runs in the worker's sandbox, which imports it itself.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
