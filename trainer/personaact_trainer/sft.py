"""Stage 1: supervised fine-tuning on the demonstrations with TRL's SFTTrainer and LoRA (r=64, α=128)."""
from __future__ import annotations

from trl import SFTConfig, SFTTrainer

from .dataset import open_dataset, sft_rows, to_hf_dataset
from .errors import UserError
from .modeling import load_model, load_policy_processor, lora_config
from .training import StageOptions, common_arguments, train_and_save


def run_sft(options: StageOptions, eval_steps: int | None = None) -> None:
    """eval_steps: loss on sft/validation.jsonl every that many steps (none: no evaluation)."""
    dataset = open_dataset(options.data, options.images_dir)
    train = to_hf_dataset(sft_rows(dataset, "train"))
    validation = sft_rows(dataset, "validation")  # read (and checked) even when not evaluated
    if eval_steps and not validation:
        raise UserError(f"--eval-steps needs samples in {dataset.root}/sft/validation.jsonl, which is empty")
    processor = load_policy_processor(options.model, options.max_pixels)
    model = load_model(options.model)
    config = SFTConfig(
        **common_arguments(options),
        # Loss on the assistant's action block only, not on the persona prompt.
        completion_only_loss=True,
        # No truncation: cutting a prompt could drop image tokens the pixels still need.
        max_length=None,
        eval_strategy="steps" if eval_steps else "no",
        eval_steps=eval_steps,
        per_device_eval_batch_size=options.batch_size,
    )
    trainer = SFTTrainer(model=model, args=config, train_dataset=train, processing_class=processor,
                         eval_dataset=to_hf_dataset(validation) if eval_steps else None,
                         peft_config=lora_config(options.lora_r, options.lora_alpha, options.lora_dropout))
    train_and_save(trainer, processor, options)
