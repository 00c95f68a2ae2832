"""The package version, written once: hatch reads it at build time (``dynamic = ["version"]``
in pyproject.toml) and ``ppncheck --version`` imports it without a metadata look-up."""

__version__ = "0.1.0"
