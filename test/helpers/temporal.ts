/** A real Temporal dev server for tests: the project's pinned `temporal` binary, never a download. */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SEARCH_ATTRIBUTES_KEYS } from '../../workflows/search-attributes';
import { venvBin } from '../../infra/stack/paths';
import { quietWorkerLogs } from './worker-logs';

/** Worker logs go to a file (test/helpers/worker-logs.ts), printed only when the file fails. */
export function startTestTemporal(): Promise<TestWorkflowEnvironment> {
  quietWorkerLogs();
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: venvBin('temporal') },
      searchAttributes: [...SEARCH_ATTRIBUTES_KEYS],
    },
  });
}
