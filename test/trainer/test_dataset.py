"""Loading the exporter's dataset folder, and clear errors for bad input."""
import json
import shutil

import pytest
from personaact_trainer.cli import main
from personaact_trainer.dataset import evaluation_rows, grpo_rows, open_dataset, sft_rows, to_hf_dataset
from personaact_trainer.errors import UserError


@pytest.fixture
def broken_dataset(dataset_dir, tmp_path):
    copy = tmp_path / "dataset"
    shutil.copytree(dataset_dir, copy)
    return copy


def test_sft_rows_split_prompt_from_answer_and_decode_images(dataset_dir):
    dataset = open_dataset(dataset_dir)
    rows = sft_rows(dataset, "train")
    assert len(rows) == 8
    first = rows[0]
    assert [m["role"] for m in first["prompt"]] == ["system", "user"]
    assert first["completion"][0]["content"][0]["text"] == "```python\nwatch(18.84)\n```"
    hf = to_hf_dataset(rows)
    assert hf[0]["images"][0].size == (64, 48)
    assert hf[5]["images"] == []


def test_grpo_and_test_rows_carry_the_truth(dataset_dir):
    dataset = open_dataset(dataset_dir)
    row = grpo_rows(dataset, "train")[1]
    assert row["watch_seconds"] == 2.94 and row["actions"] == ["like"]
    assert len(grpo_rows(dataset, "validation")) == 2
    assert len(evaluation_rows(dataset)) == 4


def test_an_images_folder_replaces_the_datasets_own(dataset_dir, tmp_path):
    elsewhere = tmp_path / "frames"
    shutil.copytree(dataset_dir / "images", elsewhere)
    rows = sft_rows(open_dataset(dataset_dir, images_dir=elsewhere), "train")
    assert rows[0]["images"] == [str(elsewhere / "a-000000.jpg")]


def append_line(path, text):
    with path.open("a", encoding="utf-8") as file:
        file.write(text + "\n")


@pytest.mark.parametrize("damage, problem", [
    (lambda d: append_line(d / "sft" / "train.jsonl", "{not json"), "sft/train.jsonl:9: not valid JSON"),
    (lambda d: append_line(d / "sft" / "train.jsonl", json.dumps({"id": "x", "images": [], "messages": [
        {"role": "user", "content": [{"type": "text", "text": "hi"}]}]})), "sft/train.jsonl:9: \"messages\" must end with the assistant"),
    (lambda d: (d / "images" / "a-000001.jpg").unlink(), "sft/train.jsonl:2: image images/a-000001.jpg not found"),
    (lambda d: append_line(d / "sft" / "validation.jsonl", "[1]"), "sft/validation.jsonl:3: expected a JSON object"),
    (lambda d: (d / "sft" / "train.jsonl").write_text(""), "sft/train.jsonl holds no samples"),
    (lambda d: (d / "dataset.json").write_text('{"schemaVersion": 2}'), "dataset.json: schemaVersion must be 1"),
])
def test_bad_sft_input_names_file_and_line(broken_dataset, damage, problem, tiny_model, tmp_path, capsys):
    damage(broken_dataset)
    code = main(["sft", "--data", str(broken_dataset), "--model", str(tiny_model), "--output", str(tmp_path / "out")])
    assert code == 2
    err = capsys.readouterr()
    assert problem in err.err
    assert json.loads(err.out.strip().splitlines()[-1])["event"] == "error"
    assert not (tmp_path / "out").exists()


def test_bad_grpo_truth_is_reported(broken_dataset):
    row = json.loads((broken_dataset / "grpo" / "train.jsonl").read_text().splitlines()[0])
    append_line(broken_dataset / "grpo" / "train.jsonl", json.dumps({**row, "solution": "watch(3)\nwatch(4)"}))
    append_line(broken_dataset / "test.jsonl", json.dumps({**row, "actions": ["dance"]}))
    with pytest.raises(UserError, match=r"grpo/train.jsonl:9: \"solution\" does not parse: line 2: watch\(\) given twice"):
        grpo_rows(open_dataset(broken_dataset), "train")
    with pytest.raises(UserError, match=r"test.jsonl:5: \"actions\" may hold only"):
        evaluation_rows(open_dataset(broken_dataset))


def test_missing_folder_is_a_clear_error(tmp_path, capsys):
    assert main(["evaluate", "--data", str(tmp_path / "nowhere"), "--model", "m", "--output", str(tmp_path / "o")]) == 2
    assert "dataset folder" in capsys.readouterr().err


def test_a_usage_error_is_an_error_event_too(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["grpo", "--data", "d", "--model", "m", "--output", "o", "--reward-weights", "1,2"])
    assert exit_info.value.code == 2
    event = json.loads(capsys.readouterr().out.strip())
    assert event["event"] == "error" and "expected three comma-separated weights" in event["message"]
