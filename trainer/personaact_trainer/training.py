"""What SFT and GRPO share: options, checkpoints and resume, progress, the final save."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch
from transformers import PrinterCallback, TrainerCallback
from transformers.trainer_utils import get_last_checkpoint

from .events import emit
from .modeling import save_trained, training_dtype


@dataclass(frozen=True)
class StageOptions:
    stage: str
    data: Path
    model: str
    output: Path
    checkpoint_dir: Path
    images_dir: Path | None
    max_steps: int
    epochs: float
    learning_rate: float
    batch_size: int
    grad_accum: int
    lora_r: int
    lora_alpha: int
    lora_dropout: float
    save_steps: int
    resume: bool
    seed: int
    max_pixels: int | None


# Trainer log keys worth passing on, renamed to the camelCase the TypeScript side reads.
_LOG_KEYS = {"loss": "loss", "learning_rate": "learningRate", "grad_norm": "gradNorm", "reward": "reward",
             "eval_loss": "evalLoss", "epoch": "epoch"}


class ProgressCallback(TrainerCallback):
    def __init__(self, stage: str):
        self.stage = stage

    def on_log(self, args, state, control, logs=None, **kwargs):
        logs = logs or {}
        if "train_runtime" in logs:  # the closing summary, not a step
            return
        fields = {name: logs[key] for key, name in _LOG_KEYS.items() if key in logs}
        # GRPO logs each reward function's batch mean as rewards/<function>/mean.
        rewards = {key.split("/")[1]: value for key, value in logs.items() if key.startswith("rewards/") and key.endswith("/mean")}
        if rewards:
            fields["rewards"] = rewards
        emit("progress", stage=self.stage, step=state.global_step, maxSteps=state.max_steps, **fields)

    def on_save(self, args, state, control, **kwargs):
        emit("checkpoint", stage=self.stage, step=state.global_step, path=f"{args.output_dir}/checkpoint-{state.global_step}")


def common_arguments(options: StageOptions) -> dict:
    """TrainingArguments both stages take; checkpoints go to checkpoint_dir, the final model to output."""
    return dict(
        output_dir=str(options.checkpoint_dir),
        max_steps=options.max_steps,
        num_train_epochs=options.epochs,
        learning_rate=options.learning_rate,
        per_device_train_batch_size=options.batch_size,
        gradient_accumulation_steps=options.grad_accum,
        save_strategy="steps",
        save_steps=options.save_steps,
        save_total_limit=2,
        logging_steps=1,
        report_to="none",
        disable_tqdm=True,
        seed=options.seed,
        # Mixed precision where the GPU has bf16 (TRL's default would ask for it on CPU too).
        bf16=training_dtype() == torch.bfloat16,
        dataloader_num_workers=0,
        remove_unused_columns=False,
    )


def resume_checkpoint(options: StageOptions) -> str | None:
    """The latest checkpoint-N in the checkpoint folder when --resume is given (None: start afresh)."""
    if not options.resume or not options.checkpoint_dir.is_dir():
        return None
    return get_last_checkpoint(str(options.checkpoint_dir))


def train_and_save(trainer, processor, options: StageOptions) -> None:
    trainer.remove_callback(PrinterCallback)  # it prints Python dicts on stdout, which carries JSON lines only
    trainer.add_callback(ProgressCallback(options.stage))
    resume_from = resume_checkpoint(options)
    emit("start", stage=options.stage, model=options.model, output=str(options.output), resumeFrom=resume_from)
    trainer.train(resume_from_checkpoint=resume_from)
    save_trained(trainer.model, processor, options.output)
    emit("done", stage=options.stage, output=str(options.output), steps=trainer.state.global_step)
