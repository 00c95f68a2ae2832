"""Start-up stays cheap (issue 15): the package and the light commands never load the NLP stack.

Each case runs in a fresh interpreter, because a module imported by an earlier test would
hide a regression here.  Timings are not asserted (``benchmarks/bench_startup.py`` measures
them); what is asserted is which heavy modules were imported, which is what the time follows.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("spacy", "thinc", "numpy", "sklearn", "scipy", "jsonschema")

# Runs the console script's entry point in-process, then reports the exit code, output and
# every heavy module that was imported.
_DRIVER = """
import io, json, sys
from contextlib import redirect_stdout
args, blocked_modules = json.loads(sys.argv[1]), json.loads(sys.argv[2])
sys.argv = ["ppncheck", *args]
for blocked in blocked_modules:
    sys.modules[blocked] = None  # `import blocked` now fails, as if it were not installed
from ppncheck.cli import main
out = io.StringIO()
code = 0
with redirect_stdout(out):
    try:
        main()
    except SystemExit as exc:
        code = exc.code or 0
heavy = sorted(m for m in HEAVY if sys.modules.get(m) is not None)
print(json.dumps({"code": code, "stdout": out.getvalue(), "heavy": heavy}))
"""


def _run_cli(args: list[str], blocked: tuple[str, ...] = ()) -> dict[str, object]:
    driver = f"HEAVY = {HEAVY!r}\n{_DRIVER}"
    proc = subprocess.run(
        [sys.executable, "-c", driver, json.dumps(args), json.dumps(list(blocked))],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    result["stderr"] = proc.stderr
    return result


def _python(code: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_import_ppncheck_loads_no_nlp_stack() -> None:
    out = _python(
        "import sys, ppncheck\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
        "names = {n: getattr(ppncheck, n) for n in ppncheck.__all__}\n"  # resolve every name
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    after_import, after_names = out.splitlines()
    assert after_import == "[]"
    # the public names resolve without building the pipeline (check is a plain function)
    assert "spacy" not in after_names and "sklearn" not in after_names


def test_the_pipeline_is_built_on_the_first_check() -> None:
    out = _python(
        "import sys, ppncheck\n"
        "report = ppncheck.check('Appearance: clean and dressed. Words: said she was fine.')\n"
        "print('spacy' in sys.modules, 'sklearn' in sys.modules, 'scipy' in sys.modules)\n"
        "print(report.ppn_id, len(report.findings) > 0)\n"
    )
    loaded, result = out.splitlines()
    # spaCy comes with the first check; training libraries never do
    assert loaded == "True False False"
    assert result == "None True"


def test_a_record_without_free_text_is_checked_without_the_text_pipeline() -> None:
    record = {
        "ppn_id": "PPN-1",
        "incident_reference": "LOG-1",
        "ppn_types": ["other"],
        "incident_start": "2026-11-20T10:00:00",
        "submitted_at": "2026-11-20T12:00:00",
        "officer": {"collar_number": "4521"},
        "officer_risk_grade": "low",
        "persons": [
            {
                "person_id": "p1",
                "roles": ["victim"],
                "forename": "Ann",
                "surname": "Bell",
                "sex": "female",
                "sde_code": "W1",
            }
        ],
    }
    out = _python(
        "import json, sys, ppncheck\n"
        f"report = ppncheck.check(json.loads({json.dumps(json.dumps(record))}))\n"
        "print(sorted(f.field for f in report.findings))\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    fields, heavy = out.splitlines()
    # the narrative fields are missing (PPN001), and nothing of the text layer was loaded
    assert fields == "['actions_taken', 'circumstances', 'rationale']"
    assert heavy == "[]"


def test_public_api_is_exactly_all() -> None:
    import ppncheck

    assert set(dir(ppncheck)) == set(ppncheck.__all__)
    for name in ("PackageNotFoundError", "annotations", "version"):
        assert not hasattr(ppncheck, name), name
    for name in ppncheck.__all__:
        assert getattr(ppncheck, name) is not None
    public = {n for n in vars(ppncheck) if not n.startswith("_")}
    # besides __all__, only subpackages that some test imported appear (as for any package)
    extra = {n for n in public - set(ppncheck.__all__) if not _is_submodule(ppncheck, n)}
    assert extra == set()
    with pytest.raises(AttributeError):
        _ = ppncheck.nothing_here  # type: ignore[attr-defined]


def _is_submodule(package: object, name: str) -> bool:
    import types

    value = getattr(package, name)
    return isinstance(value, types.ModuleType) and value.__name__.startswith("ppncheck.")


@pytest.mark.parametrize(
    ("args", "expect"),
    [
        (["--help"], "Usage: ppncheck"),
        (["--version"], "ppncheck "),
        (["rules"], "ETH001"),
        (["rules", "AWR006"], "Why it matters"),
        (["schema"], '"sde_code"'),
        (["check", "--help"], "--output FILE"),
    ],
)
def test_light_commands_load_no_nlp_stack(args: list[str], expect: str) -> None:
    result = _run_cli(args)
    assert result["code"] == 0, result["stderr"]
    assert expect in str(result["stdout"])
    assert result["heavy"] == []


def test_help_names_values_and_not_python_types() -> None:
    commands = ["check", "rules", "schema", "init-mapping", "extract", "evaluate notes"]
    commands += ["train", "train vb", "train aware"]
    for args in [["--help"], *([*c.split(), "--help"] for c in commands)]:
        text = str(_run_cli(args)["stdout"])
        for label in ("<bool>", "<str>", "<path>", "<list[Path]>", "<int range>"):
            assert label not in text, (args, label)
    check_help = str(_run_cli(["check", "--help"])["stdout"])
    assert "Usage: ppncheck check [OPTIONS] PATH..." in check_help
    assert "--exit-zero " in check_help and "--exit-zero <" not in check_help


@pytest.mark.parametrize(("model", "data"), [("vb", "victim_blaming"), ("aware", "aware")])
def test_training_without_the_train_extra_says_what_to_install(
    tmp_path: Path, model: str, data: str
) -> None:
    folder = ROOT / "datasets" / data
    args = ["train", model, str(folder), "--out", str(tmp_path / "m")]
    result = _run_cli(args, blocked=("sklearn",))
    assert result["code"] == 2
    stderr = str(result["stderr"])
    assert 'pip install "ppncheck[train]"' in stderr and "scikit-learn" in stderr
    assert "Traceback" not in stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--version"],
        ["--help"],
        [],
        ["rules"],
        ["rules", "ETH"],
        ["rules", "NOPE99"],
        ["schema", "--help"],
        ["check", "--help"],
        ["check"],
        ["check", "--format", "xml", "x.json"],
        ["evaluate"],
        ["evaluate", "notes", "--help"],
        ["report", "trends", "--help"],
        ["review", "--help"],
        ["train", "--help"],
        ["init-mapping", "--help"],
        ["chek"],
        ["--version", "--help"],
    ],
    ids=lambda a: " ".join(a) or "no-args",
)
def test_the_command_run_alone_behaves_as_in_the_whole_app(args: list[str]) -> None:
    """``main`` registers only the command being run (``app_for``): its output, errors and
    exit code are those of the whole app."""
    from typer.testing import CliRunner

    from ppncheck.cli import app, app_for

    whole = CliRunner().invoke(app, args, prog_name="ppncheck")
    alone = CliRunner().invoke(app_for(args), args, prog_name="ppncheck")
    assert (alone.exit_code, alone.output) == (whole.exit_code, whole.output)
    if args and args[0] in {"rules", "check", "evaluate", "train"}:
        light = app_for(args)
        assert len(light.registered_commands) + len(light.registered_groups) == 1
