"""feedback: turn what a webinar leaves behind into an honest, blog-ready report.

The notebook API is three functions (see :mod:`feedback.api`):

- :func:`feedback.load` reads exports (files, folders or lists of them) into one
  items table;
- :func:`feedback.tag` adds codes, confidences, sentiment and a question flag to
  the public rows;
- :func:`feedback.report` builds a report to look at inline and write out.

Under them, :mod:`feedback.loaders` reads the exports, :mod:`feedback.classifier`
tags comments against a codebook and :mod:`feedback.report` builds and writes the
report. Importing the package does no work: pandas and the rest are imported on
first use.

Examples
--------
>>> import feedback
>>> items = feedback.load("data/sample")  # doctest: +SKIP
>>> tagged = feedback.tag(items)  # doctest: +SKIP
>>> feedback.report("data/sample").write("report")  # doctest: +SKIP
"""

from __future__ import annotations

import sys as _sys
import types as _types

__version__ = "0.1.0"

__all__ = ["__version__", "load", "report", "tag"]

#: Names of the notebook API, served from :mod:`feedback.api` on first use.
_API = ("load", "tag")


class _ReportModule(_types.ModuleType):
    """The ``feedback.report`` module, also callable as :func:`feedback.api.report`.

    ``feedback.report`` is both the report module (``feedback.report.build_report``)
    and the notebook function (``feedback.report("exports/")``): Python sets a
    package's attribute to a submodule once it is imported, so the submodule is
    made callable rather than hidden.
    """

    def __call__(self, *paths, **options):
        from feedback.api import report

        return report(*paths, **options)


def _callable_report(module: _types.ModuleType) -> _types.ModuleType:
    if not isinstance(module, _ReportModule):
        module.__class__ = _ReportModule
    return module


class _Package(_types.ModuleType):
    """The package's own module type: keeps ``feedback.report`` callable."""

    def __setattr__(self, name: str, value) -> None:
        if name == "report" and isinstance(value, _types.ModuleType):
            value = _callable_report(value)
        super().__setattr__(name, value)


def __getattr__(name: str):
    if name in _API:
        from feedback import api

        return getattr(api, name)
    if name == "report":
        import importlib

        return _callable_report(importlib.import_module("feedback.report"))
    raise AttributeError(f"module 'feedback' has no attribute {name!r}")


def __dir__() -> list[str]:
    public = {name for name in globals() if not name.startswith("_")} - {"annotations"}
    return sorted({*public, *__all__, "__version__"})


_sys.modules[__name__].__class__ = _Package
if "feedback.report" in _sys.modules:  # pragma: no cover - imported before the package finished
    _callable_report(_sys.modules["feedback.report"])
