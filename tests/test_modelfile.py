"""One model-file module for every model (issue 15): both shipped models are read through it,
so the same damage to either gives the same clear error."""

from __future__ import annotations

import hashlib
import json
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from ppncheck.modelfile import (
    MODEL_FILE_VERSION,
    ModelFileError,
    ModelKind,
    read_model,
    write_model,
)
from ppncheck.resources import model_dir
from ppncheck.text import coverage
from ppncheck.text.victim_blaming import classifier

KIND = ModelKind(
    name="toy", title="toy", format_version=4, arrays=("w", "b"), train_command="ppncheck train toy"
)


def _load_vb(folder: Path) -> Any:
    classifier.clear_model_cache()
    try:
        return classifier.load_model(folder)
    finally:
        classifier.clear_model_cache()


# each shipped model: its kind and its own loader (which reads through ppncheck.modelfile)
MODELS: dict[str, tuple[ModelKind, Callable[[Path], Any]]] = {
    "victim_blaming": (classifier.MODEL_KIND, _load_vb),
    "aware_coverage": (coverage.MODEL_KIND, coverage.load_model),
}


@pytest.fixture(params=sorted(MODELS))
def shipped_copy(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, ModelKind, Any]:
    kind, load = MODELS[request.param]
    folder = tmp_path / request.param
    shutil.copytree(model_dir(request.param), folder)
    return folder, kind, load


def _manifest(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / "manifest.json").read_text("utf-8"))
    return data


def _rewrite(folder: Path, **changes: Any) -> None:
    (folder / "manifest.json").write_text(json.dumps({**_manifest(folder), **changes}), "utf-8")


def test_a_folder_round_trips_as_plain_arrays_with_a_manifest(tmp_path: Path) -> None:
    arrays = {"w": np.arange(6, dtype=np.float32).reshape(2, 3), "b": np.array([0.5, -1.0])}
    manifest = write_model(tmp_path, KIND, arrays, {"threshold": 0.4}, versions={"x": "1"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.npy", "manifest.json", "w.npy"]
    assert manifest == _manifest(tmp_path)
    assert manifest["model"] == "toy" and manifest["format_version"] == 4
    assert manifest["model_file_version"] == MODEL_FILE_VERSION
    assert manifest["versions"]["numpy"] == np.__version__ and manifest["versions"]["x"] == "1"
    assert manifest["versions"]["ppncheck"]
    for name in ("w.npy", "b.npy"):
        digest = hashlib.sha256((tmp_path / name).read_bytes()).hexdigest()
        assert manifest["files"][name] == {"sha256": digest}
    read = read_model(tmp_path, KIND)
    assert read.manifest["threshold"] == 0.4
    for name, array in arrays.items():
        assert read.arrays[name].dtype == array.dtype and np.array_equal(read.arrays[name], array)
    # the same arrays give the same bytes: retrained models are compared by checksum
    again = write_model(tmp_path / "again", KIND, arrays, {"threshold": 0.4})
    assert again["files"] == manifest["files"]


def test_writing_checks_the_arrays_and_the_settings(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="arrays w, b"):
        write_model(tmp_path, KIND, {"w": np.zeros(2)}, {})
    with pytest.raises(ValueError, match="own keys"):
        write_model(tmp_path, KIND, {"w": np.zeros(2), "b": np.zeros(2)}, {"files": {}})


def test_both_shipped_models_are_in_this_layout(
    shipped_copy: tuple[Path, ModelKind, Any],
) -> None:
    folder, kind, load = shipped_copy
    manifest = _manifest(folder)
    assert manifest["model"] == kind.name == folder.name
    assert manifest["model_file_version"] == MODEL_FILE_VERSION
    assert set(manifest["files"]) == kind.files
    assert {"ppncheck", "numpy", "scikit-learn"} <= set(manifest["versions"])
    assert not list(folder.glob("*.npz"))
    assert load(folder) is not None


def test_a_changed_array_file_is_a_checksum_error(
    shipped_copy: tuple[Path, ModelKind, Any],
) -> None:
    folder, kind, load = shipped_copy
    for name in kind.arrays:
        path = folder / f"{name}.npy"
        good = path.read_bytes()
        path.write_bytes(good[:-4] + bytes(b ^ 0xFF for b in good[-4:]))
        with pytest.raises(ModelFileError, match="corrupt or was changed: checksum mismatch") as e:
            load(folder)
        assert e.value.model == kind.title and kind.train_command in str(e.value)
        path.write_bytes(good)
    assert load(folder) is not None


@pytest.mark.parametrize("key", ["format_version", "model_file_version"])
def test_a_version_mismatch_names_found_expected_and_the_retrain_command(
    shipped_copy: tuple[Path, ModelKind, Any], key: str
) -> None:
    folder, kind, load = shipped_copy
    want = kind.format_version if key == "format_version" else MODEL_FILE_VERSION
    _rewrite(folder, **{key: 99})
    with pytest.raises(ModelFileError) as e:
        load(folder)
    assert f"has {key} 99, but this ppncheck reads {want}" in str(e.value)
    assert f"retrain it with `{kind.train_command}`" in str(e.value)
    assert e.value.explain().startswith(f"the {kind.title} model cannot be used: ")


def test_another_model_or_a_missing_or_broken_manifest_is_refused(
    shipped_copy: tuple[Path, ModelKind, Any], tmp_path: Path
) -> None:
    folder, kind, load = shipped_copy
    with pytest.raises(ModelFileError, match=r"manifest\.json not found"):
        load(tmp_path / "nowhere")
    good = _manifest(folder)
    _rewrite(folder, model="something_else")
    with pytest.raises(ModelFileError, match=r"holds no .* model"):
        load(folder)
    (folder / "manifest.json").write_text("{not json", "utf-8")
    with pytest.raises(ModelFileError, match="not valid JSON"):
        load(folder)
    (folder / "manifest.json").write_text(json.dumps(good), "utf-8")
    (folder / f"{kind.arrays[0]}.npy").unlink()
    with pytest.raises(ModelFileError, match="is missing"):
        load(folder)


def test_a_pickled_array_is_never_loaded_even_with_the_right_checksum(tmp_path: Path) -> None:
    write_model(tmp_path, KIND, {"w": np.zeros(2), "b": np.zeros(2)}, {})
    with (tmp_path / "w.npy").open("wb") as fh:  # an object array: loading it would unpickle
        np.save(fh, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    manifest = _manifest(tmp_path)
    digest = hashlib.sha256((tmp_path / "w.npy").read_bytes()).hexdigest()
    manifest["files"]["w.npy"] = {"sha256": digest}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    with pytest.raises(ModelFileError, match="not a plain numeric array"):
        read_model(tmp_path, KIND)


def test_the_error_survives_the_trip_from_a_worker_process() -> None:
    error = ModelFileError("model file x is corrupt", "victim-blaming")
    back = pickle.loads(pickle.dumps(error))
    assert (str(back), back.model, back.explain()) == (
        str(error),
        error.model,
        "the victim-blaming model cannot be used: model file x is corrupt",
    )
