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


#: Charts from which PNGs are rendered in two processes (where the machine has two cores).
PARALLEL_CHARTS = 6
_CHARTS: list = []


def render_charts(report: Report) -> dict[tuple[str, str], bytes]:
    """PNG bytes of every chart of the report and of its pages, each rendered once.

    Returns
    -------
    dict
        ``(page folder or "", chart name)`` to PNG bytes.
    """
    import multiprocessing
    import os

    from feedback.plots import png_bytes

    jobs = [("", name, chart.figure) for name, chart in report.charts.items()]
    for folder, page in report.pages.items():
        jobs += [(folder, name, chart.figure) for name, chart in page.charts.items()]
    out: dict[tuple[str, str], bytes] = {}
    background = report.background
    if background is not None:  # drawn while the report was built
        for folder, name, figure in jobs:
            data = background.result(figure)
            if data is not None:
                out[(folder, name)] = data
    jobs = [job for job in jobs if (job[0], job[1]) not in out]
    parallel = (
        len(jobs) >= PARALLEL_CHARTS
        and (os.cpu_count() or 1) > 1
        and "fork" in multiprocessing.get_all_start_methods()
    )
    if not parallel:
        out.update({(folder, name): png_bytes(figure) for folder, name, figure in jobs})
        return out
    # Forked workers share the figures; only the PNG bytes travel back.
    _CHARTS[:] = [figure for _, _, figure in jobs]
    try:
        with multiprocessing.get_context("fork").Pool(2) as pool:
            images = pool.map(_render_one, range(len(jobs)), chunksize=1)
    finally:
        _CHARTS.clear()
    out.update({(folder, name): data for (folder, name, _), data in zip(jobs, images, strict=True)})
    return out


def _render_one(index: int) -> bytes:
    from feedback.plots import png_bytes

    return png_bytes(_CHARTS[index])


def write_report(report: Report, out_dir: str | Path) -> list[Path]:
    """Write the report's files into ``out_dir`` (created if needed), each atomically.

    The pages of a series report go into their own sub-folders (``webinars/<name>/``),
    each with its Markdown, HTML and charts; ``webinars.csv`` holds one row of figures
    per webinar.

    Returns
    -------
    list of Path
        The files written.
    """
    from feedback.io import write_bytes, write_table, write_text

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    rendered = render_charts(report)
    for folder, page in report.pages.items():
        where = out / folder
        where.mkdir(parents=True, exist_ok=True)
        images = {name: rendered[(folder, name)] for name in page.charts}
        for name, data in images.items():
            write_bytes(where / f"{name}.png", data)
            written.append(where / f"{name}.png")
        write_text(where / "report.md", render_markdown(page))
        write_text(where / "report.html", render_html(page, images))
        written += [where / "report.md", where / "report.html"]
    images = {name: rendered[("", name)] for name in report.charts}
    for name, data in images.items():
        path = out / f"{name}.png"
        write_bytes(path, data)
        written.append(path)
    write_text(out / "report.md", render_markdown(report))
    write_text(out / "report.html", render_html(report, images))
    tagged = report.tagged[[c for c in TAGGED_COLUMNS if c in report.tagged.columns]].copy()
    tagged[Col.TIMESTAMP] = tagged[Col.TIMESTAMP].map(_time_text)
    questions = report.questions.copy()
    questions["time"] = questions["time"].map(_time_text)
    write_table(tagged, out / "tagged_comments.csv")
    write_table(questions, out / "questions.csv")
    names = ["report.md", "report.html", "tagged_comments.csv", "questions.csv", "summary.json"]
    if "webinars" in report.summary:
        import pandas as pd

        columns = ["name", "title", "attendees", "chat_users", "chat_share", "messages",
                   "reactions", "qa_questions", "responses", "rated_positively"]  # fmt: skip
        rows = [
            {**{c: w.get(c) for c in columns}, "open_questions": w["question_counts"]["open"],
             "page": w.get("page", "")}
            for w in report.summary["webinars"]
        ]  # fmt: skip
        write_table(pd.DataFrame(rows), out / "webinars.csv")
        names.append("webinars.csv")
    write_text(
        out / "summary.json",
        json.dumps(report.summary, indent=2, ensure_ascii=False, default=str) + "\n",
    )
    manifest = dict(report.manifest)
    manifest["outputs"] = sorted([str(p.relative_to(out)) for p in written] + names)
    write_text(out / "manifest.json", json.dumps(manifest, indent=2, default=str) + "\n")
    written += [out / n for n in names] + [out / "manifest.json"]
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
