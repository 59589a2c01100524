"""REFI-QDA projects (``.qdpx``) from NVivo, MAXQDA, ATLAS.ti, QualCoder or feedback.

Each coded text selection becomes one item (kind ``chat``) with its codes in the
``labels`` column (code ids joined by ``;``), its source's name in ``source`` and
its case (participant) as ``author`` and the line of its selection in
``project.qde`` as ``line``. Codings that point at no code, and
selections whose positions fall outside their text, are counted as skipped.
"""

from __future__ import annotations

import io
import zipfile

from feedback.loaders.base import Loader, LoadOptions, Parsed, Skipped, Source
from feedback.loaders.registry import register
from feedback.schema import Col, Kind


@register
class QdpxLoader(Loader):
    """A REFI-QDA project: one item per coded selection, its codes in ``labels``."""

    format_id = "refi-qda-project"
    description = "REFI-QDA project (.qdpx) from NVivo, MAXQDA, ATLAS.ti, QualCoder"
    recognised_by = "a zip archive holding project.qde"
    family = "coding"
    extensions = (".qdpx",)

    @classmethod
    def sniff(cls, source: Source) -> float:
        if not source.data.startswith(b"PK\x03\x04"):
            return 0.0
        try:
            with zipfile.ZipFile(io.BytesIO(source.data)) as archive:
                names = [n.rsplit("/", 1)[-1].lower() for n in archive.namelist()]
        except (zipfile.BadZipFile, ValueError, OSError):
            return 0.0
        if "project.qde" in names:
            return 1.0
        return 0.6 if source.suffix == ".qdpx" and any(n.endswith(".qde") for n in names) else 0.0

    def parse(self, source: Source, options: LoadOptions) -> Parsed:
        from feedback.refi_qda import read_project_data

        project = read_project_data(source.data, source.name)
        items = [
            {
                Col.KIND: Kind.CHAT,
                Col.AUTHOR: selection.case,
                Col.TEXT: selection.text,
                Col.QUESTION: "",
                Col.LABELS: ";".join(selection.codes),
                Col.LINE: selection.line,
            }
            for selection in project.selections
        ]
        skipped = [
            Skipped(source=source.name, line=_line(where), reason=reason, text=where)
            for where, reason in project.skipped
        ]
        return Parsed(
            items=items,
            skipped=skipped,
            meta={"title": project.name, "codebook": project.codebook, "date_known": False},
        )


def _line(where: str) -> int:
    """The line number in ``"file: line N"``, else 0."""
    _, _, tail = where.rpartition("line ")
    return int(tail) if tail.isdigit() else 0
