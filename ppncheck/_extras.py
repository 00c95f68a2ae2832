"""Optional dependency groups: a clear message when one is needed but not installed.

The runtime install is spaCy, numpy and the readers; training and model comparison also need
scikit-learn and scipy, which come with ``pip install "ppncheck[train]"``; the review workbench
needs FastAPI, uvicorn, Jinja2, SQLAlchemy and Alembic (``pip install "ppncheck[review]"``).
"""

from __future__ import annotations

# import name -> the name pip installs it under
_DISTRIBUTIONS = {
    "sklearn": "scikit-learn",
    "scipy": "scipy",
    "sqlalchemy": "SQLAlchemy",
    "jinja2": "Jinja2",
    "multipart": "python-multipart",
    "python_multipart": "python-multipart",
}


class MissingExtra(ImportError):
    """An optional dependency group is not installed; the message names the pip command."""


def missing_extra(extra: str, purpose: str, exc: ImportError) -> MissingExtra:
    """The error to raise (``from None``) when importing ``extra``'s packages failed."""
    module = (exc.name or "").partition(".")[0]
    package = _DISTRIBUTIONS.get(module, module or "a package it needs")
    return MissingExtra(
        f'{purpose} needs {package}, which is not installed: pip install "ppncheck[{extra}]"',
        name=exc.name,
    )
