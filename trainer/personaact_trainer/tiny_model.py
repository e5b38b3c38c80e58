"""A tiny, randomly initialised Qwen2.5-VL (≈0.2 M parameters) built offline, for tests and smoke runs.

No model can be downloaded here, so the tokenizer is built too: a byte-level BPE (the kind Qwen's own
tokenizer is) trained in a few milliseconds on a small built-in corpus of the action vocabulary and
prompt words, with Qwen's special tokens and Qwen2.5-VL's chat template (the released one, saved as
qwen2_5_vl_chat_template.jinja). Byte-level means any text, Chinese included, encodes. The folder it
writes loads through the production path, `from_pretrained(folder)`, like a real checkpoint.
"""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import PreTrainedTokenizerFast, Qwen2_5_VLConfig, Qwen2_5_VLForConditionalGeneration
from transformers.models.qwen2_vl.image_processing_pil_qwen2_vl import Qwen2VLImageProcessorPil

from .modeling import save_processor
from .processor import ImageOnlyQwen2_5_VLProcessor

SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|vision_start|>", "<|vision_end|>",
                  "<|image_pad|>", "<|video_pad|>"]
VOCAB_SIZE = 512
CORPUS = [
    "```python\nwatch(4.95)\nlike()\n```", "watch(second=12.5), like(), comment(好看)", 'comment("nice")',
    'share("friend")', "not_interested()", "You are a short-video viewer. Decide what to do with this video.",
    "persona: likes games, anime, food; skips ads quickly. history: watched 3.2 s, liked", "0123456789.",
]


def _tokenizer() -> PreTrainedTokenizerFast:
    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=VOCAB_SIZE, special_tokens=SPECIAL_TOKENS,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    bpe.train_from_iterator(CORPUS, trainer=trainer)
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=bpe, eos_token="<|im_end|>", pad_token="<|endoftext|>")
    tokenizer.chat_template = files(__package__).joinpath("qwen2_5_vl_chat_template.jinja").read_text(encoding="utf-8")
    return tokenizer


def _config(tokenizer: PreTrainedTokenizerFast) -> Qwen2_5_VLConfig:
    ids = {token: tokenizer.convert_tokens_to_ids(token) for token in SPECIAL_TOKENS}
    text = dict(vocab_size=len(tokenizer), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=4096,
                # head_dim 16: mrope_section splits its 8 rotary frequencies over (time, height, width).
                rope_scaling={"type": "mrope", "mrope_section": [2, 3, 3]},
                bos_token_id=ids["<|endoftext|>"], eos_token_id=ids["<|im_end|>"], pad_token_id=ids["<|endoftext|>"])
    vision = dict(depth=2, hidden_size=32, intermediate_size=64, num_heads=2, out_hidden_size=64,
                  fullatt_block_indexes=[1], window_size=56)
    return Qwen2_5_VLConfig(text_config=text, vision_config=vision, image_token_id=ids["<|image_pad|>"],
                            video_token_id=ids["<|video_pad|>"], vision_start_token_id=ids["<|vision_start|>"],
                            vision_end_token_id=ids["<|vision_end|>"])


def make_tiny_model(output: Path, seed: int = 0) -> Path:
    torch.manual_seed(seed)
    tokenizer = _tokenizer()
    model = Qwen2_5_VLForConditionalGeneration(_config(tokenizer))
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    # Frames shrink to at most 56×56 pixels: 4 patches of 14 px merged 2×2 → one image token per 28×28.
    image_processor = Qwen2VLImageProcessorPil(min_pixels=28 * 28, max_pixels=56 * 56)
    output.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(output)
    save_processor(ImageOnlyQwen2_5_VLProcessor(image_processor, tokenizer, chat_template=tokenizer.chat_template), output)
    return output
