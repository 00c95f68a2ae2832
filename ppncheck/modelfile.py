"""One way to write and read a model folder, for every model ppncheck ships.

A model folder holds plain numpy arrays, one ``<name>.npy`` per array (written and read with
``allow_pickle=False``: no pickle, no joblib), and ``manifest.json``, which says

- ``model`` and ``format_version``: which model it is and what its arrays mean (a model
  changes its ``format_version`` when an older reader would misread its arrays);
- ``model_file_version``: this module's layout (manifest + ``.npy`` files);
- ``versions``: the ppncheck and numpy that wrote it (and whatever trained it);
- ``files``: the sha256 of every array file;

and the model's own settings beside them.  Reading checks the model and its versions before it
opens an array, and each file's checksum before it loads it.  Anything wrong is one
``ModelFileError``: a sentence naming the folder, what is wrong and the command that retrains
the model.  It never quotes a note (a model holds none), so a command can print it as it is,
without a traceback.

numpy is imported when a folder is read or written: importing this module for its error
class costs nothing.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

MANIFEST_FILE = "manifest.json"
# the layout of a model folder: 1 was each model's own (an .npz, or .npy files with bare
# checksums); 2 is this module's, shared by every model
MODEL_FILE_VERSION = 2
# keys of the manifest this module writes and checks; a model's own settings may not use them
_OWN_KEYS = frozenset({"model", "format_version", "model_file_version", "versions", "files"})


@dataclass(frozen=True)
class ModelKind:
    """What a reader expects of one model's folder."""

    name: str  # ``model`` in the manifest, and the shipped folder's name (models/<name>)
    title: str  # the model in messages: "the victim-blaming model"
    format_version: int
    arrays: tuple[str, ...]  # every array the folder holds, each as <name>.npy
    train_command: str  # the command that writes such a folder

    @property
    def files(self) -> frozenset[str]:
        return frozenset(f"{name}.npy" for name in self.arrays)


class ModelFileError(RuntimeError):
    """A model folder is missing, changed, corrupt, or written for another ppncheck.

    ``model`` is the model's title ("victim-blaming"), for a caller's own wording."""

    def __init__(self, message: str, model: str = "") -> None:
        # both in args, so the error survives pickling from a --jobs worker to the parent
        super().__init__(message, model)
        self.message = message
        self.model = model

    def __str__(self) -> str:
        return self.message

    def explain(self) -> str:
        """The line a command prints (after ``ppncheck: ``)."""
        return f"the {self.model or 'shipped'} model cannot be used: {self.message}"


@dataclass(frozen=True)
class ModelFolder:
    """A verified folder: its manifest and its arrays by name."""

    manifest: dict[str, Any]
    arrays: dict[str, np.ndarray]


def write_model(
    folder: Path | str,
    kind: ModelKind,
    arrays: Mapping[str, np.ndarray],
    settings: Mapping[str, Any],
    *,
    versions: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Write ``arrays`` (exactly ``kind.arrays``) and the manifest; return the manifest.

    ``settings`` are the model's own manifest entries (thresholds, feature settings, training
    record); ``versions`` adds to the ppncheck and numpy versions (say, scikit-learn's).  The
    same arrays give the same bytes, so a retrained model can be compared by its checksums.
    """
    import numpy as np

    from ppncheck._version import __version__

    if set(arrays) != set(kind.arrays):
        raise ValueError(f"the {kind.title} model has the arrays {', '.join(kind.arrays)}")
    clash = _OWN_KEYS & set(settings)
    if clash:
        raise ValueError(f"model settings may not use the manifest's own keys: {sorted(clash)}")
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    files = {}
    for name in kind.arrays:
        buffer = io.BytesIO()
        np.lib.format.write_array(buffer, np.ascontiguousarray(arrays[name]), allow_pickle=False)
        data = buffer.getvalue()
        (out / f"{name}.npy").write_bytes(data)
        files[f"{name}.npy"] = {"sha256": hashlib.sha256(data).hexdigest()}
    manifest: dict[str, Any] = {
        **settings,
        "model": kind.name,
        "format_version": kind.format_version,
        "model_file_version": MODEL_FILE_VERSION,
        "versions": {"ppncheck": __version__, "numpy": np.__version__, **(versions or {})},
        "files": files,
    }
    # last: a folder whose manifest is there was written whole
    (out / MANIFEST_FILE).write_text(
        json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    return manifest


def read_model(folder: Path | str, kind: ModelKind) -> ModelFolder:
    """Read and verify a model folder written by ``write_model`` for ``kind``."""
    import numpy as np

    where = Path(folder)
    manifest = read_manifest(where, kind)
    arrays = {}
    for name in kind.arrays:
        path = where / f"{name}.npy"
        try:
            data = path.read_bytes()
        except OSError:
            raise _error(kind, f"model file {path} is missing or cannot be read") from None
        if hashlib.sha256(data).hexdigest() != manifest["files"][path.name].get("sha256"):
            raise _error(
                kind,
                f"model file {path} is corrupt or was changed: checksum mismatch; reinstall "
                f"ppncheck, or retrain with `{kind.train_command}`",
            )
        try:
            arrays[name] = np.load(io.BytesIO(data), allow_pickle=False)
        except (ValueError, OSError, EOFError):
            raise _error(kind, f"model file {path} is not a plain numeric array") from None
    return ModelFolder(manifest, arrays)


def read_manifest(folder: Path, kind: ModelKind) -> dict[str, Any]:
    """The manifest, once it names ``kind`` at the versions this ppncheck reads and lists
    exactly its array files."""
    path = folder / MANIFEST_FILE
    if not path.is_file():
        raise _error(kind, f"no {kind.title} model at {folder}: {MANIFEST_FILE} not found")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise _error(kind, f"model manifest {path} is not valid JSON") from None
    if not isinstance(manifest, dict):
        raise _error(kind, f"model manifest {path} is not a JSON object")
    if manifest.get("model") != kind.name:
        raise _error(
            kind,
            f"{folder} holds no {kind.title} model (its manifest says model "
            f"{manifest.get('model')!r}, expected {kind.name!r})",
        )
    written_by = manifest.get("versions")
    by = written_by.get("ppncheck") if isinstance(written_by, dict) else None
    for key, want in (
        ("model_file_version", MODEL_FILE_VERSION),
        ("format_version", kind.format_version),
    ):
        found = manifest.get(key)
        if found != want:
            raise _error(
                kind,
                f"the {kind.title} model at {folder} has {key} {found!r}, but this ppncheck "
                f"reads {want!r}; retrain it with `{kind.train_command}` or install the "
                f"ppncheck that wrote it ({by or 'version unknown'})",
            )
    files = manifest.get("files")
    # exactly the model's own files, by plain name: a manifest cannot point the reader at a
    # file outside its folder ("../..", an absolute path)
    if (
        not isinstance(files, dict)
        or set(files) != kind.files
        or not all(isinstance(v, dict) for v in files.values())
    ):
        raise _error(
            kind,
            f"model manifest {path}: files must list exactly {', '.join(sorted(kind.files))}, "
            "each with its sha256",
        )
    return manifest


def _error(kind: ModelKind, message: str) -> ModelFileError:
    return ModelFileError(message, kind.title)
