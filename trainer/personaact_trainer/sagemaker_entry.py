"""SageMaker entry point: `python -m personaact_trainer.sagemaker_entry` (or trainer/train.py).

SageMaker runs it in the Hugging Face PyTorch training image with:
- /opt/ml/input/config/hyperparameters.json: every value a string, e.g. {"stage": "sft", "model":
  "Qwen/Qwen2.5-VL-7B-Instruct", "max_steps": "500", "lora_r": "64"}. `stage` picks the command; every
  other key is that command's option with "_" for "-" (max_steps → --max-steps); "true"/"false" for flags;
  the training toolkit's own sagemaker_* keys are left to it. (The toolkit also passes the
  hyperparameters as command-line arguments; they are ignored in favour of the file.)
- channels under /opt/ml/input/data/<channel>: `train` = the dataset folder (required), `images` = a
  folder that replaces its images/ (optional), `model` = the model to start from (optional; wins over the
  `model` hyperparameter — the SFT output for GRPO, the GRPO output for evaluate). A training job's
  output arrives as model.tar.gz; it is unpacked to /opt/ml/input/model-unpacked (SM_MODEL_UNPACK_DIR)
  first, on the job's storage volume (a 7B model does not fit the root volume's /tmp).
- the result to /opt/ml/model (SageMaker uploads it as model.tar.gz); checkpoints to /opt/ml/checkpoints,
  which SageMaker syncs with the job's checkpoint S3 URI, so a restarted (spot) job always resumes.

SM_MODEL_DIR, SM_INPUT_CONFIG_DIR, SM_INPUT_DATA_DIR, SM_CHANNEL_TRAIN, SM_CHANNEL_IMAGES,
SM_CHANNEL_MODEL (the training toolkit sets these), SM_MODEL_UNPACK_DIR and SM_CHECKPOINT_DIR
override those paths, so the entry point runs anywhere (the tests run it locally).
"""
from __future__ import annotations

import json
import os
import sys
import tarfile
from pathlib import Path

from .cli import main as cli_main
from .errors import UserError
from .events import emit

STAGES = ("sft", "grpo", "evaluate")
# Options the entry point sets from the SageMaker layout; a hyperparameter may not override them.
RESERVED = ("data", "images", "output", "checkpoint_dir", "resume")
TOOLKIT_PREFIX = "sagemaker_"


def _path(env: str, default: str) -> Path:
    return Path(os.environ.get(env, default))


def _hyperparameters() -> dict[str, str]:
    path = _path("SM_INPUT_CONFIG_DIR", "/opt/ml/input/config") / "hyperparameters.json"
    if not path.is_file():
        raise UserError(f"{path} is missing (SageMaker writes it; set SM_INPUT_CONFIG_DIR to run elsewhere)")
    try:
        values = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise UserError(f"{path}: not valid JSON ({error})") from None
    if not isinstance(values, dict):
        raise UserError(f"{path}: expected a JSON object")
    # SageMaker sends strings; the SDK's estimators sometimes JSON-encode them once more ("\"sft\"").
    # sagemaker_* keys (sagemaker_program, sagemaker_submit_directory, ...) belong to the training toolkit.
    return {key: str(value).strip('"') for key, value in values.items() if not key.startswith(TOOLKIT_PREFIX)}


def _model_folder(channel: Path) -> Path:
    """The model channel as a folder from_pretrained reads: a previous job's model.tar.gz is unpacked."""
    archive = channel / "model.tar.gz"
    if (channel / "config.json").is_file() or not archive.is_file():
        return channel
    target = _path("SM_MODEL_UNPACK_DIR", "/opt/ml/input/model-unpacked")
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    return target


def command_line() -> list[str]:
    hyperparameters = _hyperparameters()
    stage = hyperparameters.pop("stage", None)
    if stage not in STAGES:
        raise UserError(f'hyperparameter "stage" must be one of {", ".join(STAGES)}, got {stage!r}')
    for key in RESERVED:
        if key in hyperparameters:
            raise UserError(f'hyperparameter "{key}" is set by the SageMaker layout; remove it')
    channels = _path("SM_INPUT_DATA_DIR", "/opt/ml/input/data")
    model_channel = _path("SM_CHANNEL_MODEL", str(channels / "model"))
    if model_channel.is_dir():
        hyperparameters["model"] = str(_model_folder(model_channel))
    argv = [stage, "--data", str(_path("SM_CHANNEL_TRAIN", str(channels / "train"))),
            "--output", str(_path("SM_MODEL_DIR", "/opt/ml/model"))]
    images = _path("SM_CHANNEL_IMAGES", str(channels / "images"))
    if images.is_dir():
        argv += ["--images", str(images)]
    if stage != "evaluate":
        argv += ["--checkpoint-dir", str(_path("SM_CHECKPOINT_DIR", "/opt/ml/checkpoints")), "--resume"]
    for key, value in hyperparameters.items():
        option = "--" + key.replace("_", "-")
        if value.lower() == "true":
            argv.append(option)
        elif value.lower() != "false":
            argv += [option, value]
    return argv


def main() -> int:
    try:
        argv = command_line()
    except UserError as error:
        emit("error", message=str(error))
        print(f"personaact_trainer: error: {error}", file=sys.stderr)
        return 2
    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
