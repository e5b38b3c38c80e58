"""Stage 2: GRPO with TRL's GRPOTrainer and a new LoRA adapter (r=8, α=32) on the SFT-merged model,
rewarded by R_format, R_action and R_duration (rewards.py) with weights."""
from __future__ import annotations

from dataclasses import dataclass

from trl import GRPOConfig, GRPOTrainer

from .dataset import grpo_rows, open_dataset, to_hf_dataset
from .modeling import load_model, load_policy_processor, lora_config
from .rewards import REWARD_FUNCTIONS
from .training import StageOptions, common_arguments, train_and_save


@dataclass(frozen=True)
class GrpoOptions:
    num_generations: int
    max_completion_length: int
    temperature: float
    beta: float
    # Weights of (format, action, duration), in the order of REWARD_FUNCTIONS.
    reward_weights: tuple[float, float, float]


def run_grpo(options: StageOptions, grpo: GrpoOptions) -> None:
    dataset = open_dataset(options.data, options.images_dir)
    train = to_hf_dataset(grpo_rows(dataset, "train"))
    grpo_rows(dataset, "validation")  # checked before training, like every file of the export
    processor = load_policy_processor(options.model, options.max_pixels)
    # The SFT stage's output is the merged model; an adapter folder is merged here (modeling.load_model).
    model = load_model(options.model)
    arguments = common_arguments(options)
    # batch_size counts completions; each prompt is answered num_generations times and a batch holds whole groups.
    groups = -(-options.batch_size // grpo.num_generations)
    arguments["per_device_train_batch_size"] = groups * grpo.num_generations
    config = GRPOConfig(
        **arguments,
        num_generations=grpo.num_generations,
        max_completion_length=grpo.max_completion_length,
        temperature=grpo.temperature,
        beta=grpo.beta,
        reward_weights=list(grpo.reward_weights),
    )
    trainer = GRPOTrainer(model=model, reward_funcs=list(REWARD_FUNCTIONS), args=config, train_dataset=train,
                          processing_class=processor,
                          peft_config=lora_config(options.lora_r, options.lora_alpha, options.lora_dropout))
    train_and_save(trainer, processor, options)
