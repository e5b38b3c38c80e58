/**
 * The TypeScript side's answers for test/trainer/test_parity.py, which checks that the Python trainer
 * parses action blocks and computes metrics exactly as core/ does. Reads JSON on stdin:
 *   { blocks: string[], metrics: { predicted: string[], truth: { watchSeconds: number, actions: string[] }[] } }
 * and prints { parses: ActionBlockParse[], metrics: FidelityMetrics }.
 */
import { readFileSync } from 'node:fs';
import { parseActionBlock } from '../../core/decision';
import { type ActionOutcome, fidelityMetrics, outcomeOfDecision } from '../../core/fidelity-metrics';

interface Input {
  blocks: string[];
  metrics: { predicted: string[]; truth: { watchSeconds: number; actions: string[] }[] };
}

const input = JSON.parse(readFileSync(0, 'utf8')) as Input;
const predicted = input.metrics.predicted.map((block): ActionOutcome => {
  const parsed = parseActionBlock(block);
  if (!parsed.ok) throw new Error(`metrics.predicted must parse: ${parsed.error}`);
  return outcomeOfDecision(parsed.decision);
});
const truth = input.metrics.truth.map(
  ({ watchSeconds, actions }): ActionOutcome => ({
    watchSeconds,
    like: actions.includes('like'),
    comment: actions.includes('comment'),
    share: actions.includes('share'),
    notInterested: actions.includes('not_interested'),
  }),
);
process.stdout.write(JSON.stringify({ parses: input.blocks.map((block) => parseActionBlock(block)), metrics: fidelityMetrics(predicted, truth) }));
