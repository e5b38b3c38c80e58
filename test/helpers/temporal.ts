/** A real Temporal dev server for tests: the project's pinned `temporal` binary, never a download. */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SEARCH_ATTRIBUTES_KEYS } from '../../workflows/search-attributes';
import { venvBin } from '../../infra/stack/paths';

export function startTestTemporal(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: venvBin('temporal') },
      searchAttributes: [...SEARCH_ATTRIBUTES_KEYS],
    },
  });
}
