"""Rewards and the action-block parser against hand-worked cases of the paper's reward plugin."""
import pytest
from personaact_trainer.action_block import ActionBlockError, parse_action_block
from personaact_trainer.rewards import action_reward, action_score, duration_reward, format_reward, watch_credit


def block(*calls: str) -> str:
    return "```python\n" + "\n".join(calls) + "\n```"


def as_completion(text: str) -> list[dict]:
    return [{"role": "assistant", "content": text}]


class TestActionBlock:
    def test_reads_the_grammar_of_core_decision_ts(self):
        decision = parse_action_block('Thinking...\n```python\nwatch(second=12.5), like(); comment(好看)\nshare("friend")\n```')
        assert decision.watch_seconds == 12.5 and decision.like and decision.comment == "好看" and decision.share == "friend"
        assert decision.actions == {"watch", "like", "comment", "share"}

    def test_bare_block_quoted_text_and_defaults(self):
        decision = parse_action_block("watch()\ncomment('a \\\"b\\\" \\u4f60')\nshare()\nnot_interested()  # done")
        assert decision.watch_seconds == 5.0 and decision.comment == 'a "b" 你' and decision.share == ""
        assert decision.not_interested

    def test_a_block_without_watch_watches_zero_seconds(self):
        decision = parse_action_block(block("like()"))
        assert decision.watch_seconds == 0 and decision.actions == {"like"}

    @pytest.mark.parametrize("text, problem", [
        (block("watch(3)", "watch(4)"), "line 3: watch() given twice (first on line 2)"),
        (block("skip()"), 'unknown action "skip"'),
        (block("watch(-1)"), "non-negative number"),
        (block("watch(abc)"), "non-negative number"),
        (block("like(1)"), "takes no argument"),
        (block("comment()"), "comment() needs text"),
        (block('comment("open)'), "unterminated string"),
        (block("watch(3"), 'missing ")"'),
        ("```python\n```", "no action found"),
    ])
    def test_errors_name_the_line_and_problem(self, text, problem):
        with pytest.raises(ActionBlockError, match=problem.replace("(", r"\(").replace(")", r"\)")):
            parse_action_block(text)


class TestFormatReward:
    def test_one_when_a_block_parses_else_zero(self):
        completions = [as_completion(block("watch(3)")), as_completion("I would watch it"), as_completion(block("dance()"))]
        assert format_reward(completions) == [1.0, 0.0, 0.0]


class TestActionReward:
    # Truth: watch + like (the exporter always writes watch()).
    TRUTH = frozenset({"watch", "like"})

    def test_exact_set_match_is_one(self):
        assert action_score(parse_action_block(block("watch(9)", "like()")), self.TRUTH) == 1.0

    def test_partial_match_is_half_f1(self):
        # watch only: precision 1, recall 1/2, F1 2/3 → 1/3.
        assert action_score(parse_action_block(block("watch(9)")), self.TRUTH) == pytest.approx(1 / 3)

    def test_each_extra_action_costs_a_tenth(self):
        # watch, like, share vs watch, like: precision 2/3, recall 1, F1 0.8 → 0.4 − 0.1 = 0.3.
        assert action_score(parse_action_block(block("watch(9)", "like()", "share()")), self.TRUTH) == pytest.approx(0.3)
        # four actions vs one (watch): F1 = 0.4 → 0.2 − 0.3, floored at 0.
        assert action_score(parse_action_block(block("watch(1)", "like()", "share()", "not_interested()")), frozenset({"watch"})) == 0

    def test_no_common_action_or_no_parse_is_zero(self):
        assert action_score(parse_action_block(block("not_interested()")), self.TRUTH) == 0
        assert action_reward([as_completion("nothing")], actions=[["like"]]) == [0.0]

    def test_reads_trl_columns(self):
        rewards = action_reward([as_completion(block("watch(2)", "like()")), block("watch(2)")], actions=[["like"], []])
        assert rewards == [1.0, 1.0]


class TestDurationReward:
    def test_credit_falls_with_relative_error(self):
        assert watch_credit(4.0, 4.0) == 1.0
        assert watch_credit(3.0, 4.0) == pytest.approx(0.75)
        assert watch_credit(9.0, 4.0) == 0.0  # capped at 1 relative error

    def test_long_watches_are_judged_leniently(self):
        # Both ≥ 7 s: 0.5 + 0.5·(1 − 5/10) = 0.75 instead of 0.5.
        assert watch_credit(15.0, 10.0) == pytest.approx(0.75)
        assert watch_credit(30.0, 10.0) == pytest.approx(0.5)
        # Only one side ≥ 7 s: no relaxation.
        assert watch_credit(6.0, 10.0) == pytest.approx(0.6)

    def test_zero_second_truth(self):
        assert watch_credit(0.0, 0.0) == 1.0
        assert watch_credit(0.5, 0.0) == 0.0

    def test_reads_trl_columns_and_scores_unparsed_as_zero(self):
        rewards = duration_reward([as_completion(block("watch(3)")), as_completion(block("like()")), "no block"],
                                  watch_seconds=[4.0, 4.0, 4.0])
        assert rewards == [pytest.approx(0.75), 0.0, 0.0]
