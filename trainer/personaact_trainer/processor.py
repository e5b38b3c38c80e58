"""Loads a Qwen2.5-VL processor, also on hosts without torchvision.

transformers builds Qwen2.5-VL's video processor with torchvision, and the torchvision wheel does not
load beside the CPU build of torch these machines use (trainer/README.md). The policy sees still frames
only, so where torchvision is missing the processor is rebuilt from the same saved files without its
video half: the tokenizer, the chat template and the PIL image processor. Where torchvision is
present (the SageMaker Hugging Face image) `AutoProcessor.from_pretrained` is used unchanged.
"""
from __future__ import annotations

from transformers import AutoProcessor, AutoTokenizer, ProcessorMixin
from transformers.models.qwen2_5_vl.processing_qwen2_5_vl import Qwen2_5_VLProcessor
from transformers.models.qwen2_vl.image_processing_pil_qwen2_vl import Qwen2VLImageProcessorPil
from transformers.utils import is_torchvision_available


class ImageOnlyQwen2_5_VLProcessor(Qwen2_5_VLProcessor):
    """Qwen2.5-VL's processor for images and text; it has no video processor, so it rejects videos."""

    def __init__(self, image_processor=None, tokenizer=None, chat_template=None, **kwargs):
        self.image_token = getattr(tokenizer, "image_token", "<|image_pad|>")
        self.video_token = getattr(tokenizer, "video_token", "<|video_pad|>")
        self.image_token_id = tokenizer.convert_tokens_to_ids(self.image_token)
        self.video_token_id = tokenizer.convert_tokens_to_ids(self.video_token)
        ProcessorMixin.__init__(self, image_processor, tokenizer, chat_template=chat_template)

    def _process_videos(self, videos, **kwargs):
        raise ValueError("this processor handles images only (torchvision, which video needs, is not installed)")


def load_processor(model_name_or_path: str) -> ProcessorMixin:
    if is_torchvision_available():
        return AutoProcessor.from_pretrained(model_name_or_path)
    tokenizer = AutoTokenizer.from_pretrained(model_name_or_path)
    image_processor = Qwen2VLImageProcessorPil.from_pretrained(model_name_or_path)
    return ImageOnlyQwen2_5_VLProcessor(image_processor, tokenizer, chat_template=tokenizer.chat_template)
