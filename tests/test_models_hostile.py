"""Issue 18: a broken or hostile model folder is a clear error, never an internal one.

"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from ppncheck.resources import model_dir
from ppncheck.text.coverage import ModelFormatError, load_model


def test_coverage_manifest_cannot_name_a_file_outside_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "models" / "aware_coverage"
    shutil.copytree(model_dir("aware_coverage"), folder)
    outside = tmp_path / "models" / "elsewhere.npy"
    shutil.copy(folder / "weights.npy", outside)
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text("utf-8"))
    digest = hashlib.sha256(outside.read_bytes()).hexdigest()
    for name in ("../elsewhere.npy", str(outside)):
        files = dict(manifest["files"])
        files[name] = digest  # the right checksum: only the path is wrong
        manifest_path.write_text(json.dumps({**manifest, "files": files}), "utf-8")
        with pytest.raises(ModelFormatError, match="files must list only"):
            load_model(folder)
    manifest_path.write_text(json.dumps(manifest), "utf-8")
    assert load_model(folder).labels[0] == "appearance"
