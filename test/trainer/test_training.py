"""Both stages and evaluate through the real command line, as the local backend runs them, on the tiny
Qwen2.5-VL on CPU: a few steps each, checkpoints and resume, the JSON-lines progress contract."""
import json
import os
import subprocess
import sys
import tarfile

import pytest
from conftest import REPO
from personaact_trainer import sagemaker_entry
from personaact_trainer.errors import UserError
from personaact_trainer.modeling import load_model, processor_source
from safetensors.torch import load_file

Q_PROJ = "model.layers.0.self_attn.q_proj.weight"  # the key layout transformers saves Qwen2.5-VL in
Q_PROJ_LOADED = "model.language_model.layers.0.self_attn.q_proj.weight"  # ... and the one it loads it as


def trainer(*args: str) -> list[dict]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "trainer")}
    result = subprocess.run([sys.executable, "-m", "personaact_trainer", *args], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    # stdout carries JSON lines only.
    return [json.loads(line) for line in result.stdout.splitlines()]


def of(events: list[dict], kind: str) -> list[dict]:
    return [e for e in events if e["event"] == kind]


@pytest.fixture(scope="module")
def sft(dataset_dir, tiny_model, tmp_path_factory):
    output = tmp_path_factory.mktemp("sft")
    events = trainer("sft", "--data", str(dataset_dir), "--model", str(tiny_model), "--output", str(output),
                     "--max-steps", "2", "--save-steps", "1", "--batch-size", "2", "--eval-steps", "2")
    return output, events


@pytest.fixture(scope="module")
def grpo(dataset_dir, sft, tmp_path_factory):
    output = tmp_path_factory.mktemp("grpo")
    events = trainer("grpo", "--data", str(dataset_dir), "--model", str(sft[0]), "--output", str(output),
                     "--max-steps", "2", "--num-generations", "2", "--batch-size", "2", "--max-completion-length", "8",
                     "--max-pixels", "784")
    return output, events


def test_sft_reports_progress_and_checkpoints(sft):
    output, events = sft
    assert events[0] == {"event": "start", "stage": "sft", "model": events[0]["model"], "output": str(output), "resumeFrom": None}
    progress = of(events, "progress")
    assert [(p["step"], p["maxSteps"]) for p in progress] == [(1, 2), (2, 2), (2, 2)]
    assert all(p["loss"] > 0 for p in progress[:2])
    assert progress[2]["step"] == 2 and progress[2]["evalLoss"] > 0  # sft/validation.jsonl, every 2 steps
    assert [c["step"] for c in of(events, "checkpoint")] == [1, 2]
    assert events[-1] == {"event": "done", "stage": "sft", "output": str(output), "steps": 2}


def test_sft_writes_the_merged_model_and_its_lora_adapter(sft, tiny_model):
    output, _ = sft
    adapter = json.loads((output / "adapter" / "adapter_config.json").read_text())
    assert (adapter["r"], adapter["lora_alpha"]) == (64, 128)
    merged = load_file(output / "model.safetensors")[Q_PROJ]
    base = load_file(tiny_model / "model.safetensors")[Q_PROJ]
    assert not merged.equal(base), "the adapter was not merged into the saved weights"
    assert (output / "tokenizer.json").is_file() and (output / "preprocessor_config.json").is_file()


def test_an_adapter_folder_loads_merged_into_its_base(sft):
    output, _ = sft
    merged = load_model(str(output / "adapter")).state_dict()[Q_PROJ_LOADED]
    assert merged.equal(load_file(output / "model.safetensors")[Q_PROJ])
    assert processor_source(str(output / "adapter")) == str(output)


def test_resume_continues_from_the_latest_checkpoint(sft, dataset_dir, tiny_model):
    output, _ = sft
    events = trainer("sft", "--data", str(dataset_dir), "--model", str(tiny_model), "--output", str(output),
                     "--max-steps", "3", "--save-steps", "1", "--batch-size", "2", "--resume")
    assert events[0]["resumeFrom"] == str(output / "checkpoints" / "checkpoint-2")
    assert [p["step"] for p in of(events, "progress")] == [3]
    assert events[-1]["steps"] == 3


def test_grpo_trains_a_new_small_adapter_on_the_sft_model(grpo, sft):
    output, events = grpo
    assert events[0]["model"] == str(sft[0])
    progress = of(events, "progress")
    assert [p["step"] for p in progress] == [1, 2]
    assert set(progress[0]["rewards"]) == {"format_reward", "action_reward", "duration_reward"}
    adapter = json.loads((output / "adapter" / "adapter_config.json").read_text())
    assert (adapter["r"], adapter["lora_alpha"]) == (8, 32)
    assert events[-1]["event"] == "done" and (output / "config.json").is_file()
    # --max-pixels 784: one 28×28 px visual token per frame, saved with the processor.
    assert json.loads((output / "preprocessor_config.json").read_text())["size"]["longest_edge"] == 784


def test_evaluate_reports_the_fidelity_metrics(grpo, dataset_dir, tmp_path):
    events = trainer("evaluate", "--data", str(dataset_dir), "--model", str(grpo[0]), "--output", str(tmp_path),
                     "--max-new-tokens", "8")
    metrics = events[-1]["metrics"]
    assert set(metrics) == {"samples", "formatRate", "smape", "mae", "pearson", "typeAccuracy", "f1", "kl"}
    assert metrics["samples"] == 4 and 0 <= metrics["smape"] <= 2
    assert json.loads((tmp_path / "metrics.json").read_text()) == metrics
    assert len((tmp_path / "predictions.jsonl").read_text().splitlines()) == 4


def sagemaker_layout(monkeypatch, tmp_path, hyperparameters: dict) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "hyperparameters.json").write_text(json.dumps(hyperparameters))
    monkeypatch.setenv("SM_INPUT_CONFIG_DIR", str(config))
    monkeypatch.setenv("SM_INPUT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SM_MODEL_DIR", str(tmp_path / "model"))
    monkeypatch.setenv("SM_CHECKPOINT_DIR", str(tmp_path / "checkpoints"))


def test_sagemaker_layout_becomes_a_command_line(monkeypatch, tmp_path):
    sagemaker_layout(monkeypatch, tmp_path, {"stage": "grpo", "model": "Qwen/Qwen2.5-VL-7B-Instruct",
                                             "max_steps": "500", "reward_weights": "1,2,1", "resume_noop": "false",
                                             "sagemaker_program": "train.py", "sagemaker_submit_directory": "s3://b/code.tar.gz"})
    (tmp_path / "data" / "images").mkdir(parents=True)
    assert sagemaker_entry.command_line() == [
        "grpo", "--data", str(tmp_path / "data" / "train"), "--output", str(tmp_path / "model"),
        "--images", str(tmp_path / "data" / "images"),
        "--checkpoint-dir", str(tmp_path / "checkpoints"), "--resume",
        "--model", "Qwen/Qwen2.5-VL-7B-Instruct", "--max-steps", "500", "--reward-weights", "1,2,1"]


def test_sagemaker_rejects_a_missing_stage_or_a_reserved_key(monkeypatch, tmp_path):
    sagemaker_layout(monkeypatch, tmp_path, {"model": "m"})
    with pytest.raises(UserError, match='"stage" must be one of sft, grpo, evaluate'):
        sagemaker_entry.command_line()
    (tmp_path / "config" / "hyperparameters.json").write_text(json.dumps({"stage": "sft", "output": "/tmp"}))
    with pytest.raises(UserError, match='"output" is set by the SageMaker layout'):
        sagemaker_entry.command_line()


def test_sagemaker_entry_evaluates_a_previous_jobs_model_tar_gz(monkeypatch, tmp_path, dataset_dir, tiny_model, capsys):
    sagemaker_layout(monkeypatch, tmp_path, {"stage": "evaluate", "max_new_tokens": "4", "max_steps": "2"})
    channel = tmp_path / "data" / "model"
    channel.mkdir(parents=True)
    with tarfile.open(channel / "model.tar.gz", "w:gz") as archive:  # what SageMaker uploads from /opt/ml/model
        for file in tiny_model.iterdir():
            archive.add(file, arcname=file.name)
    monkeypatch.setenv("SM_CHANNEL_TRAIN", str(dataset_dir))
    monkeypatch.setenv("SM_MODEL_UNPACK_DIR", str(tmp_path / "unpacked"))
    assert sagemaker_entry.main() == 0
    assert (tmp_path / "unpacked" / "config.json").is_file()
    metrics = json.loads((tmp_path / "model" / "metrics.json").read_text())
    assert metrics["samples"] == 2
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["event"] == "done"
