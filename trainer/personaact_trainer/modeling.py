"""Loading, LoRA and saving of the policy model (Qwen2.5-VL or any image-text-to-text model)."""
from __future__ import annotations

import json
from pathlib import Path

import torch
from peft import LoraConfig, PeftModel
from transformers import AutoModelForImageTextToText

from .errors import UserError
from .processor import ImageOnlyQwen2_5_VLProcessor, load_processor

# LoRA on the language model's projections only; the vision tower stays frozen, as in the paper's runs.
LANGUAGE_MODEL_LINEAR = r".*language_model.*\.(q_proj|k_proj|v_proj|o_proj|gate_proj|up_proj|down_proj)"
ADAPTER_FOLDER = "adapter"


def training_dtype() -> torch.dtype:
    return torch.bfloat16 if torch.cuda.is_available() and torch.cuda.is_bf16_supported() else torch.float32


def _check_model_path(model_name_or_path: str) -> None:
    path = Path(model_name_or_path)
    looks_local = path.is_absolute() or model_name_or_path.startswith(".") or path.exists()
    if looks_local and not (path / "config.json").is_file() and not (path / "adapter_config.json").is_file():
        raise UserError(f"model folder {path} holds no config.json (nor adapter_config.json)")


def load_model(model_name_or_path: str):
    """A model folder or hub id; a LoRA adapter folder is merged into the base it names first."""
    _check_model_path(model_name_or_path)
    adapter_config = Path(model_name_or_path) / "adapter_config.json"
    if adapter_config.is_file():
        base = json.loads(adapter_config.read_text())["base_model_name_or_path"]
        model = AutoModelForImageTextToText.from_pretrained(base, dtype=training_dtype())
        return PeftModel.from_pretrained(model, model_name_or_path).merge_and_unload()
    return AutoModelForImageTextToText.from_pretrained(model_name_or_path, dtype=training_dtype())


def processor_source(model_name_or_path: str) -> str:
    """An adapter folder keeps its processor beside the merged model (one folder up) or names its base."""
    path = Path(model_name_or_path)
    if (path / "adapter_config.json").is_file() and not (path / "tokenizer_config.json").is_file():
        if (path.parent / "tokenizer_config.json").is_file():
            return str(path.parent)
        return json.loads((path / "adapter_config.json").read_text())["base_model_name_or_path"]
    return model_name_or_path


def load_policy_processor(model_name_or_path: str, max_pixels: int | None = None):
    """max_pixels caps a frame's size (pixels after resizing; 28×28 px make one visual token): a phone
    screenshot at the model's own limit costs thousands of tokens."""
    processor = load_processor(processor_source(model_name_or_path))
    if max_pixels is not None:
        smallest = min(processor.image_processor.size["shortest_edge"], max_pixels)
        processor.image_processor.size = {"shortest_edge": smallest, "longest_edge": max_pixels}
    return processor


def lora_config(r: int, alpha: int, dropout: float) -> LoraConfig:
    return LoraConfig(r=r, lora_alpha=alpha, lora_dropout=dropout, target_modules=LANGUAGE_MODEL_LINEAR, task_type="CAUSAL_LM")


def save_processor(processor, folder: Path) -> None:
    if isinstance(processor, ImageOnlyQwen2_5_VLProcessor):
        # The parts load_processor reads back on a host without torchvision.
        processor.tokenizer.save_pretrained(folder)
        processor.image_processor.save_pretrained(folder)
    else:
        processor.save_pretrained(folder)


def save_trained(model, processor, output: Path) -> None:
    """<output>/adapter: the LoRA adapter alone; <output>: the base with the adapter merged in, ready to serve
    or to start the next stage from."""
    output.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(output / ADAPTER_FOLDER)
    merged = model.merge_and_unload()
    merged.save_pretrained(output)
    save_processor(processor, output)
