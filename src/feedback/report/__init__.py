"""The webinar report: build it (pure), then write it (Markdown, HTML, PNG, CSV, JSON).

:func:`build_report` turns loaded webinars into a :class:`Report`: blocks of
content, figures with alt text, and tables, with private messages removed and
names pseudonymised (:mod:`~feedback.report.build`, one function per section).
:func:`render_markdown` and :func:`render_html` turn it into text
(:mod:`~feedback.report.render`); :func:`write_report` writes it to a folder
atomically and :func:`build_manifest` says what went into it
(:mod:`~feedback.report.write`).
"""

from feedback.report.build import WebinarData, build_report, prepare_webinar, webinar_sections
from feedback.report.parts import Chart, Report, ReportOptions, Section
from feedback.report.render import render_html, render_markdown
from feedback.report.write import TAGGED_COLUMNS, build_manifest, write_report

__all__ = [
    "TAGGED_COLUMNS",
    "Chart",
    "Report",
    "ReportOptions",
    "Section",
    "WebinarData",
    "build_manifest",
    "build_report",
    "prepare_webinar",
    "render_html",
    "render_markdown",
    "webinar_sections",
    "write_report",
]
