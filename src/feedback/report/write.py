"""Writing a built report: charts, Markdown, HTML, CSV tables, summary and manifest."""

from __future__ import annotations

import hashlib
import json
import platform
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from feedback.report.parts import Report, ReportOptions
from feedback.report.render import render_html, render_markdown
from feedback.schema import Col

if TYPE_CHECKING:
    from feedback.codebook import Codebook
    from feedback.loaders import Webinar


TAGGED_COLUMNS = [
    Col.ITEM_ID,
    Col.WEBINAR,
    Col.SOURCE,
    Col.KIND,
    Col.TIMESTAMP,
    Col.AUTHOR,
    Col.QUESTION,
    Col.RESPONDENT,
    Col.TEXT,
    Col.REPLY_TO,
    Col.LABELS,
    Col.SCORES,
    Col.SENTIMENT,
    Col.IS_QUESTION,
]


def write_report(report: Report, out_dir: str | Path) -> list[Path]:
    """Write the report's files into ``out_dir`` (created if needed), each atomically.

    Returns
    -------
    list of Path
        The files written.
    """

    from feedback.io import write_bytes, write_table, write_text
    from feedback.plots import png_bytes

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    images: dict[str, bytes] = {}
    for name, chart in report.charts.items():
        images[name] = png_bytes(chart.figure)
        path = out / f"{name}.png"
        write_bytes(path, images[name])
        written.append(path)
    write_text(out / "report.md", render_markdown(report))
    write_text(out / "report.html", render_html(report, images))
    tagged = report.tagged[[c for c in TAGGED_COLUMNS if c in report.tagged.columns]].copy()
    tagged[Col.TIMESTAMP] = tagged[Col.TIMESTAMP].map(_time_text)
    questions = report.questions.copy()
    questions["time"] = questions["time"].map(_time_text)
    write_table(tagged, out / "tagged_comments.csv")
    write_table(questions, out / "questions.csv")
    write_text(
        out / "summary.json",
        json.dumps(report.summary, indent=2, ensure_ascii=False, default=str) + "\n",
    )
    manifest = dict(report.manifest)
    manifest["outputs"] = sorted(
        [p.name for p in written]
        + [
            "report.md",
            "report.html",
            "tagged_comments.csv",
            "questions.csv",
            "summary.json",
        ]
    )
    write_text(out / "manifest.json", json.dumps(manifest, indent=2, default=str) + "\n")
    written += [
        out / n
        for n in (
            "report.md",
            "report.html",
            "tagged_comments.csv",
            "questions.csv",
            "summary.json",
            "manifest.json",
        )
    ]
    return written


def build_manifest(
    webinars: list[Webinar], *, codebook: Codebook, model_info: dict, options: ReportOptions
) -> dict:
    """What went into a report: inputs with SHA-256, versions, codebook and model."""
    import matplotlib
    import nltk
    import pandas
    import sklearn

    from feedback import __version__

    inputs = []
    for webinar in webinars:
        for result in webinar.files:
            path = Path(result.path)
            digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
            inputs.append(
                {
                    "webinar": webinar.name,
                    "file": path.name,
                    "format": result.format,
                    "sha256": digest,
                    "bytes": path.stat().st_size if path.is_file() else None,
                    "encoding": result.encoding,
                    "items": len(result.items),
                    "participants": len(result.participants),
                    "skipped_lines": len(result.skipped),
                }
            )
    return {
        "created": datetime.now().isoformat(timespec="seconds"),
        "feedback": __version__,
        "versions": {
            "python": platform.python_version(),
            "pandas": pandas.__version__,
            "scikit-learn": sklearn.__version__,
            "nltk": nltk.__version__,
            "matplotlib": matplotlib.__version__,
        },
        "inputs": inputs,
        "codebook": {
            "name": codebook.name,
            "source": codebook.source,
            "codes": len(codebook),
            "sha256": codebook.fingerprint(),
        },
        "model": model_info,
        "options": {
            "names": options.names,
            "keep_names": len(options.keep_names),
            "min_group": options.min_group,
        },
    }


def _time_text(moment) -> str | None:
    """ISO date and time; the time alone when the date is unknown; None when missing."""
    from feedback.loaders.base import UNKNOWN_DATE

    if moment is None or str(moment) == "NaT":
        return None
    if moment.date() == UNKNOWN_DATE:
        return moment.strftime("%H:%M:%S")
    return moment.isoformat()
