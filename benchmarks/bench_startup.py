"""What a new user pays before ppncheck does anything: start-up CPU time, as ratios (issue 15).

    python benchmarks/bench_startup.py               # best of 7 each
    python benchmarks/bench_startup.py --repeat 9

Every command runs in a fresh process; its CPU time (user + system, from ``os.wait4``) is
compared with a reference measured in the same run, interleaved with it, so that a busy or
slow machine moves both sides alike:

- ``ppncheck --help``, ``ppncheck --version`` and ``ppncheck rules`` against
  ``python -c "import typer, rich"`` (target: at most 1.5x);
- ``ppncheck check one.json`` (the first example record) against
  ``python -c "import spacy; spacy.blank('en')"`` (target: at most 1.2x);
- the first ``ppncheck.check()`` in a fresh process, beyond ``import ppncheck``: CPU seconds
  measured inside the process (target: at most 0.4 s).

Each figure is the best of ``--repeat`` runs.  Prints a table and writes
``benchmarks/startup.json``.  Not a test: no assertions.

Byte-code: the commands run without ``PYTHONDONTWRITEBYTECODE``, so the warm-up run leaves
ppncheck's ``.pyc`` files as an installed package has them (pip compiles them at install, as
it did spaCy's, typer's and rich's); with the variable set, every run of an editable install
compiled ppncheck's sources again (about 0.06 s of each ppncheck command, none of the
references').

The first check is also measured in parts, each in the same fresh process and in the order
the first ``check()`` would do them (``first_check_parts``): spaCy's import, ppncheck's text
modules, building the pipeline (spaCy's blank English, the components' tables and models) and
the check itself with the pipeline built; and the first check of the same record without its
free text, which needs no text pipeline.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ONE_RECORD = ROOT / "examples" / "records" / "good-01-domestic-abuse-two-children.json"

_FIRST_CHECK = (
    "import json, sys, time\n"
    "record = json.loads(open(sys.argv[1], encoding='utf-8').read())\n"
    "t0 = time.process_time()\n"
    "import ppncheck\n"
    "t1 = time.process_time()\n"
    "ppncheck.check(record)\n"
    "t2 = time.process_time()\n"
    "ppncheck.check(record)\n"
    "t3 = time.process_time()\n"
    "print(json.dumps({'import': t1 - t0, 'first_check': t2 - t1, 'warm_check': t3 - t2}))\n"
)


def _ppncheck() -> list[str]:
    script = shutil.which("ppncheck", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "ppncheck"]


_PARTS = (
    "import json, sys, time\n"
    "record = json.loads(open(sys.argv[1], encoding='utf-8').read())\n"
    "clock = time.process_time\n"
    "t = [clock()]\n"
    "import ppncheck\n"
    "t.append(clock())\n"
    "import spacy\n"
    "t.append(clock())\n"
    "import ppncheck.api, ppncheck.text.analysis\n"
    "t.append(clock())\n"
    "from ppncheck.text.analysis import pipeline_for\n"
    "pipeline_for(ppncheck.Config())\n"
    "t.append(clock())\n"
    "ppncheck.check(record)\n"
    "t.append(clock())\n"
    "names = ['import ppncheck', 'import spacy', 'ppncheck text modules', 'build the pipeline',"
    " 'first check, pipeline built']\n"
    "print(json.dumps({n: b - a for n, a, b in zip(names, t, t[1:])}))\n"
)


# the same record without its free text (narrative, voice of the child, supervisor's comments):
# its first check should load no text pipeline at all
_NO_TEXT = (
    "import json, sys, time\n"
    "record = json.loads(open(sys.argv[1], encoding='utf-8').read())\n"
    "for key in ('circumstances', 'rationale', 'actions_taken', 'voice_of_child',"
    " 'supervisor_review'):\n"
    "    record.pop(key, None)\n"
    "t0 = time.process_time()\n"
    "import ppncheck\n"
    "t1 = time.process_time()\n"
    "ppncheck.check(record)\n"
    "t2 = time.process_time()\n"
    "print(json.dumps({'import': t1 - t0, 'first_check_without_free_text': t2 - t1,"
    " 'spacy_loaded': float('spacy' in sys.modules)}))\n"
)


def _env() -> dict[str, str]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # see the module docstring
    return env


def cpu_seconds(argv: list[str], cwd: Path) -> float:
    """User + system CPU seconds of one fresh process (its own children included)."""
    proc = subprocess.Popen(
        argv, cwd=cwd, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"bench_startup: {' '.join(argv)} exited {proc.returncode}")
    return usage.ru_utime + usage.ru_stime


def first_check(repeat: int, script: str = _FIRST_CHECK) -> dict[str, float]:
    """Best-of CPU seconds inside fresh processes: import, the first check, a warm check
    (or, with ``_PARTS``, the first check's parts)."""
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", script, str(ONE_RECORD)],
            capture_output=True,
            text=True,
            check=True,
            env=_env(),
        ).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
    return {key: round(min(r[key] for r in runs), 3) for key in runs[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs of each command (best of)")
    parser.add_argument("--out", type=Path, default=HERE / "startup.json")
    args = parser.parse_args()

    cli = _ppncheck()
    py = sys.executable
    commands: dict[str, list[str]] = {
        "typer+rich import (reference)": [py, "-c", "import typer, rich"],
        "ppncheck --help": [*cli, "--help"],
        "ppncheck --version": [*cli, "--version"],
        "ppncheck rules": [*cli, "rules"],
        "spacy.blank('en') (reference)": [py, "-c", "import spacy; spacy.blank('en')"],
        "ppncheck check one.json": [*cli, "check", str(ONE_RECORD)],
    }
    samples: dict[str, list[float]] = {name: [] for name in commands}
    cwd = Path(os.environ.get("TMPDIR", "/tmp"))
    for argv in commands.values():  # warm the file cache and byte-code first
        cpu_seconds(argv, cwd)
    for _ in range(args.repeat):  # interleaved, so drift hits every command alike
        for name, argv in commands.items():
            samples[name].append(cpu_seconds(argv, cwd))
    best = {name: round(min(values), 3) for name, values in samples.items()}
    inside = first_check(args.repeat)
    parts = first_check(args.repeat, _PARTS)
    no_text = first_check(args.repeat, _NO_TEXT)

    light_ref = best["typer+rich import (reference)"]
    spacy_ref = best["spacy.blank('en') (reference)"]
    targets: list[dict[str, Any]] = []
    for name in ("ppncheck --help", "ppncheck --version", "ppncheck rules"):
        targets.append(
            {
                "what": name,
                "against": "import typer, rich",
                "ratio": best[name] / light_ref,
                "target": 1.5,
            }
        )
    targets.append(
        {
            "what": "ppncheck check one.json",
            "against": "spacy.blank('en')",
            "ratio": best["ppncheck check one.json"] / spacy_ref,
            "target": 1.2,
        }
    )
    for t in targets:
        t["ratio"] = round(t["ratio"], 2)
        t["met"] = t["ratio"] <= t["target"]
        reference = light_ref if t["against"] == "import typer, rich" else spacy_ref
        t["seconds_beyond_reference"] = round(best[t["what"]] - reference, 3)
    first = {
        "what": "first check() beyond import ppncheck (CPU s)",
        "seconds": inside["first_check"],
        "target": 0.4,
        "met": inside["first_check"] <= 0.4,
    }

    print(f"CPU seconds, best of {args.repeat} fresh processes each:")
    for name, value in best.items():
        print(f"  {name:<34} {value:7.3f}")
    print(
        f"  {'import ppncheck (in-process)':<34} {inside['import']:7.3f}\n"
        f"  {'first check() after the import':<34} {inside['first_check']:7.3f}\n"
        f"  {'a warm check()':<34} {inside['warm_check']:7.3f}"
    )
    print(
        f"  {'first check(), no free text':<34} {no_text['first_check_without_free_text']:7.3f}"
        f"{'' if no_text['spacy_loaded'] == 0 else '  (spaCy loaded)'}"
    )
    print("  the first check() in parts (best of each):")
    for name, value in parts.items():
        print(f"    {name:<32} {value:7.3f}")
    print("\nagainst the issue's targets:")
    for t in targets:
        verdict = "met" if t["met"] else "NOT met"
        print(
            f"  {t['what']:<26} {t['ratio']:5.2f}x {t['against']:<20} "
            f"(target <= {t['target']}x: {verdict}; {t['seconds_beyond_reference']:+.3f} s)"
        )
    verdict = "met" if first["met"] else "NOT met"
    print(f"  first check() beyond import  {first['seconds']:.3f} s (target <= 0.4 s: {verdict})")

    result = {
        "command": f"python benchmarks/bench_startup.py --repeat {args.repeat}",
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "repeat": args.repeat,
        "cpu_seconds_best": best,
        "cpu_seconds_all": {k: [round(v, 3) for v in vs] for k, vs in samples.items()},
        "in_process_cpu_seconds_best": inside,
        "first_check_parts": parts,
        "first_check_without_free_text": no_text,
        "ratios": targets,
        "first_check": first,
    }
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()
