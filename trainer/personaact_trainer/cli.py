"""python -m personaact_trainer {sft|grpo|evaluate|make-tiny-model} ... (see --help and trainer/README.md)."""
from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from .errors import UserError
from .events import emit

# Per-stage defaults (the paper's LoRA shapes); every one is overridable on the command line.
STAGE_DEFAULTS = {
    "sft": dict(lora_r=64, lora_alpha=128, learning_rate=1e-4),
    "grpo": dict(lora_r=8, lora_alpha=32, learning_rate=1e-5),
}


class _Parser(argparse.ArgumentParser):
    """Usage errors also become an error event, so a backend reading stdout sees the reason."""

    def error(self, message: str):
        emit("error", message=f"{self.prog}: {message}")
        super().error(message)


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text}")
    return value


def _weights(text: str) -> tuple[float, float, float]:
    parts = [float(part) for part in text.split(",")]
    if len(parts) != 3:
        raise argparse.ArgumentTypeError(f"expected three comma-separated weights (format,action,duration), got {text}")
    return parts[0], parts[1], parts[2]


def _data_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, required=True, help="dataset folder (dataset.json, sft/, grpo/, test.jsonl, images/)")
    parser.add_argument("--images", type=Path, help="folder that replaces the dataset's images/ (a SageMaker images channel)")
    parser.add_argument("--model", required=True,
                        help="model folder or Hugging Face id (from_pretrained); a LoRA adapter folder is merged into its base")
    parser.add_argument("--output", type=Path, required=True, help="where the result goes")
    parser.add_argument("--max-pixels", type=_positive_int,
                        help="resize frames to at most this many pixels (784 = 28×28 px per visual token; default: the model's own limit)")


def _training_arguments(parser: argparse.ArgumentParser, stage: str) -> None:
    defaults = STAGE_DEFAULTS[stage]
    _data_arguments(parser)
    parser.add_argument("--checkpoint-dir", type=Path, help="checkpoint-N folders (default: <output>/checkpoints)")
    parser.add_argument("--resume", action="store_true", help="continue from the latest checkpoint in --checkpoint-dir, if there is one")
    parser.add_argument("--max-steps", type=int, default=-1, help="optimiser steps (default: whole epochs)")
    parser.add_argument("--epochs", type=float, default=1.0)
    parser.add_argument("--learning-rate", type=float, default=defaults["learning_rate"])
    parser.add_argument("--batch-size", type=_positive_int, default=1,
                        help="samples per device per step (GRPO: completions, rounded up to whole groups)")
    parser.add_argument("--grad-accum", type=_positive_int, default=1)
    parser.add_argument("--lora-r", type=_positive_int, default=defaults["lora_r"])
    parser.add_argument("--lora-alpha", type=_positive_int, default=defaults["lora_alpha"])
    parser.add_argument("--lora-dropout", type=float, default=0.05)
    parser.add_argument("--save-steps", type=_positive_int, default=50, help="checkpoint every N steps")
    parser.add_argument("--seed", type=int, default=42)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m personaact_trainer",
                                     description="PersonaAct policy training: SFT then GRPO (LoRA), evaluation. "
                                                 "Progress is printed on stdout as JSON lines (trainer/README.md).")
    commands = parser.add_subparsers(dest="command", required=True)
    sft = commands.add_parser("sft", help="supervised fine-tuning with LoRA (r=64, α=128) on sft/train.jsonl")
    _training_arguments(sft, "sft")
    sft.add_argument("--eval-steps", type=_positive_int, help="loss on sft/validation.jsonl every N steps (default: none)")
    grpo = commands.add_parser("grpo", help="GRPO with LoRA (r=8, α=32) on grpo/train.jsonl, from the SFT model")
    _training_arguments(grpo, "grpo")
    grpo.add_argument("--num-generations", type=_positive_int, default=4, help="completions per prompt (the group)")
    grpo.add_argument("--max-completion-length", type=_positive_int, default=64, help="tokens per completion")
    grpo.add_argument("--temperature", type=float, default=1.0)
    grpo.add_argument("--beta", type=float, default=0.04, help="KL penalty against the starting (SFT) model")
    grpo.add_argument("--reward-weights", type=_weights, default=(1.0, 1.0, 1.0),
                      help="weights of R_format,R_action,R_duration (default 1,1,1)")
    evaluate = commands.add_parser("evaluate", help="run the model on test.jsonl and print the metrics of `personaact eval`")
    _data_arguments(evaluate)
    evaluate.add_argument("--batch-size", type=_positive_int, default=8)
    evaluate.add_argument("--max-new-tokens", type=_positive_int, default=64)
    evaluate.add_argument("--limit", "--max-steps", dest="limit", type=_positive_int,
                          help="only the first N test samples (--max-steps is the same, for callers that pass it to every stage)")
    tiny = commands.add_parser("make-tiny-model", help="write a tiny random Qwen2.5-VL (tokenizer and processor included) for tests")
    tiny.add_argument("--output", type=Path, required=True)
    tiny.add_argument("--seed", type=int, default=0)
    return parser


def _stage_options(args: argparse.Namespace):
    from .training import StageOptions

    return StageOptions(
        stage=args.command, data=args.data, model=args.model, output=args.output,
        checkpoint_dir=args.checkpoint_dir or args.output / "checkpoints", images_dir=args.images,
        max_steps=args.max_steps, epochs=args.epochs, learning_rate=args.learning_rate, batch_size=args.batch_size,
        grad_accum=args.grad_accum, lora_r=args.lora_r, lora_alpha=args.lora_alpha, lora_dropout=args.lora_dropout,
        save_steps=args.save_steps, resume=args.resume, seed=args.seed, max_pixels=args.max_pixels)


def run(args: argparse.Namespace) -> None:
    # The heavy imports (torch, transformers, trl) wait until a command needs them: --help stays fast.
    if args.command == "sft":
        from .sft import run_sft

        run_sft(_stage_options(args), args.eval_steps)
    elif args.command == "grpo":
        from .grpo import GrpoOptions, run_grpo

        run_grpo(_stage_options(args), GrpoOptions(args.num_generations, args.max_completion_length,
                                                   args.temperature, args.beta, args.reward_weights))
    elif args.command == "evaluate":
        from .evaluate import run_evaluate

        run_evaluate(args.data, args.model, args.output, args.images, args.batch_size, args.max_new_tokens, args.limit,
                     args.max_pixels)
    else:
        from .tiny_model import make_tiny_model

        path = make_tiny_model(args.output, args.seed)
        emit("done", stage="make-tiny-model", output=str(path))


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        run(args)
    except UserError as error:
        emit("error", message=str(error))
        print(f"personaact_trainer: error: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # noqa: BLE001 - reported as an event, so the backend can surface the reason
        traceback.print_exc()
        emit("error", message=f"{type(error).__name__}: {error}")
        return 1
    return 0
