"""How much a user installs: site-packages of a fresh venv after ``pip install .`` (issue 15).

    /work/venv15/bin/python benchmarks/install_size.py                  # this checkout
    /work/venv15/bin/python benchmarks/install_size.py --source DIR     # another tree

Creates a throw-away virtual environment, installs the source tree into it (not editable,
no extras, from whatever index pip is configured with), and sums the bytes under its
site-packages, without pip and setuptools (which every venv has).  Target: under 380 MB.
Prints the total and the largest distributions and writes ``benchmarks/install_size.json``.
Not a test: it needs the package index.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
# present in every fresh venv, not brought by ppncheck
_BASELINE = ("pip", "setuptools", "_distutils_hack", "pkg_resources", "distutils-precedence.pth")


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=HERE.parent)
    parser.add_argument("--out", type=Path, default=HERE / "install_size.json")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="ppncheck-size-") as tmp:
        env_dir = Path(tmp) / "venv"
        venv.EnvBuilder(with_pip=True).create(env_dir)
        python = env_dir / "bin" / "python"
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", str(args.source)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        site = Path(
            subprocess.run(
                [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
        )
        sizes = {p.name: _size(p) for p in site.iterdir()}
    baseline = sum(v for k, v in sizes.items() if k.startswith(_BASELINE))
    total = sum(sizes.values()) - baseline
    largest = sorted(
        ((k, v) for k, v in sizes.items() if not k.startswith(_BASELINE)),
        key=lambda kv: -kv[1],
    )[:12]
    print(f"runtime install: {total:,} bytes = {total / 1e6:.1f} MB (target < 380 MB)")
    for name, size in largest:
        print(f"  {size / 1e6:8.1f} MB  {name}")
    result = {
        "command": "python benchmarks/install_size.py",
        "python": sys.version.split()[0],
        "bytes": total,
        "megabytes": round(total / 1e6, 1),
        "target_megabytes": 380,
        "largest": {k: v for k, v in largest},
    }
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
