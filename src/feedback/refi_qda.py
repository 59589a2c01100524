"""REFI-QDA exchange: hand the automatic coding to NVivo, MAXQDA, ATLAS.ti or QualCoder, and back.

The REFI-QDA standard (QDA-XML 1.0) has two files:

- a *project* (``.qdpx``): a zip holding ``project.qde`` (XML in the namespace
  ``urn:QDA-XML:project:1.0``) and the text of each source under ``sources/``;
- a *codebook* (``.qdc``): the codes alone (namespace ``urn:QDA-XML:codebook:1.0``).

:func:`write_project` writes a tagged table as a project: the codebook as codes
(each group a parent code), each input file as a text source, each tagged message
as a coded selection of that text, and each participant as a case named by a
pseudonym. Private messages are never written. :func:`read_project` reads a project
from any of those tools back as coded selections (text and codes), so that people's
hand coding can train the tagger or be compared with it.

Code ids are kept across the exchange: a code is matched back by its label in the
codebook in use (or by the GUID this module gives each code id), and a new code gets
an id made from its name.
"""

from __future__ import annotations

import io
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from feedback.codebook import Code, Codebook
from feedback.exceptions import CodebookError, FeedbackError, FormatError

if TYPE_CHECKING:
    import pandas as pd

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
#: Namespace of the GUIDs feedback makes (from stable names, so exports are reproducible).
GUID_NS = uuid.UUID("6f1f3f2e-4c1b-5a7e-9d2a-8b0c6e4f1a37")
#: Group of top-level codes that have no parent (flat codebooks such as Taguette's).
FLAT_GROUP = "theme"
#: Largest member read from a project archive (bytes).
MAX_MEMBER = 512 * 1024 * 1024


def guid(*parts: object) -> str:
    """A stable GUID (upper case, as QDA tools write them) for ``parts``.

    Examples
    --------
    >>> guid("code", "learning") == guid("code", "learning")
    True
    >>> len(guid("code", "learning"))
    36
    """
    return str(uuid.uuid5(GUID_NS, "\x1f".join(map(str, parts)))).upper()


def code_guid(code_id: str) -> str:
    """The GUID of a code id in every file feedback writes."""
    return guid("code", code_id)


def slug_id(name: str, taken: Iterable[str] = ()) -> str:
    """A codebook id made from a code's name: lower case ASCII, digits and ``_``.

    Examples
    --------
    >>> slug_id("Motivation & energy")
    'motivation_energy'
    >>> slug_id("2nd thoughts", taken={"c_2nd_thoughts"})
    'c_2nd_thoughts_2'
    >>> slug_id("Qualité")
    'qualite'
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_") or "code"
    if not base[0].isalpha():
        base = f"c_{base}"
    taken = set(taken)
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}_{number}", number + 1
    return candidate


# -- writing ---------------------------------------------------------------------------------
def _etree():
    from lxml import etree

    return etree


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _codes_element(parent, codebook: Codebook, ns: str):
    """Append ``<Codes>``: one parent code per group, the group's codes inside it."""
    etree = _etree()
    codes = etree.SubElement(parent, f"{{{ns}}}Codes")
    for group in codebook.groups:
        group_el = etree.SubElement(
            codes,
            f"{{{ns}}}Code",
            guid=guid("group", group),
            name=group,
            isCodable="false",
        )
        for code in codebook.codes:
            if code.group != group:
                continue
            code_el = etree.SubElement(
                group_el,
                f"{{{ns}}}Code",
                guid=code_guid(code.id),
                name=code.label,
                isCodable="true",
            )
            if code.description:
                etree.SubElement(code_el, f"{{{ns}}}Description").text = _xml_text(code.description)
    return codes


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    """Text XML 1.0 can hold: control characters other than tab and newlines removed."""
    return _XML_BAD.sub("", text)


def codebook_xml(codebook: Codebook) -> bytes:
    """A REFI-QDA codebook (``.qdc``) document for ``codebook``.

    Examples
    --------
    >>> from feedback.codebook import load_codebook
    >>> codebook_xml(load_codebook())[:38]
    b"<?xml version='1.0' encoding='utf-8'?>"
    """
    etree = _etree()
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS}, origin=_origin())
    _codes_element(root, codebook, CODEBOOK_NS)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def _origin() -> str:
    from feedback import __version__

    return f"feedback {__version__}"


def write_codebook(codebook: Codebook, path: str | Path) -> None:
    """Write ``codebook`` as a REFI-QDA codebook file (``.qdc``), atomically."""
    from feedback.io import write_bytes

    write_bytes(path, codebook_xml(codebook))


@dataclass
class ExportSummary:
    """What :func:`write_project` wrote.

    Attributes
    ----------
    sources : int
        Text sources (one per input file).
    selections : int
        Coded selections (one per tagged message with at least one code).
    codings : int
        Codes applied across the selections.
    cases : int
        Participants written as cases.
    private_left_out : int
        Private messages that were not written.
    """

    sources: int = 0
    selections: int = 0
    codings: int = 0
    cases: int = 0
    private_left_out: int = 0


def _time_prefix(value) -> str:
    import pandas as pd

    if value is None or pd.isna(value):
        return ""
    return f"[{pd.Timestamp(value).strftime('%H:%M:%S')}] "


def _document(rows: pd.DataFrame) -> tuple[str, list[tuple[int, int]]]:
    """The text of one source and the (start, end) of each row's text in it.

    Each row is one paragraph: ``[time] Author (question): text``.
    """
    from feedback.schema import Col

    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    position = 0
    for time, author, question, text in zip(
        rows[Col.TIMESTAMP], rows[Col.AUTHOR], rows[Col.QUESTION], rows[Col.TEXT], strict=True
    ):
        prefix = _time_prefix(time)
        if author:
            prefix += _xml_text(str(author))
        if question:
            prefix += f" ({_xml_text(str(question))})" if author else f"({_xml_text(question)})"
        if author or question:
            prefix += ": "
        body = _xml_text(str(text)).replace("\r\n", "\n").replace("\r", "\n")
        start = position + len(prefix)
        spans.append((start, start + len(body)))
        paragraph = prefix + body + "\n"
        parts.append(paragraph)
        position += len(paragraph)
    return "".join(parts), spans


def _confidences(cell: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for part in str(cell or "").split(";"):
        code, _, value = part.partition(":")
        try:
            out[code.strip()] = float(value)
        except ValueError:
            continue
    return out


def project_document(
    tagged: pd.DataFrame,
    codebook: Codebook,
    *,
    title: str = "Webinar feedback",
    names: str = "pseudonym",
    keep_names: Sequence[str] = (),
) -> tuple[bytes, dict[str, str], ExportSummary]:
    """Build ``project.qde`` and the source texts for a tagged table.

    Returns
    -------
    (xml, sources, summary)
        The project XML, the texts by file name inside ``sources/``, and counts.
    """
    from feedback.analysis import taggable_mask
    from feedback.privacy import Pseudonymiser, learn_people, pseudonymise_items
    from feedback.schema import Col, coerce_items

    etree = _etree()
    if Col.LABELS not in tagged.columns:
        raise FeedbackError(
            f"the table has no '{Col.LABELS}' column: tag it before writing a project"
        )
    table = coerce_items(tagged)
    private = table[Col.IS_PRIVATE].astype(bool)
    summary = ExportSummary(private_left_out=int(private.sum()))
    pseudonymiser = Pseudonymiser(names, keep=list(keep_names))
    learn_people(pseudonymiser, table)
    public = pseudonymise_items(table[~private & taggable_mask(table)], pseudonymiser)
    authors = [a for a in dict.fromkeys(public[Col.AUTHOR]) if a]
    known = set(codebook.ids)

    user_guid = guid("user", "feedback")
    now = _now()
    root = etree.Element(
        f"{{{PROJECT_NS}}}Project",
        nsmap={None: PROJECT_NS},
        name=_xml_text(title),
        origin=_origin(),
        creatingUserGUID=user_guid,
        creationDateTime=now,
    )
    ns = f"{{{PROJECT_NS}}}"
    users = etree.SubElement(root, ns + "Users")
    etree.SubElement(users, ns + "User", guid=user_guid, name="feedback (automatic coding)")
    book_el = etree.SubElement(root, ns + "CodeBook")
    _codes_element(book_el, codebook, PROJECT_NS)
    cases_el = etree.SubElement(root, ns + "Cases")
    sources_el = etree.SubElement(root, ns + "Sources")

    case_selections: dict[str, list[str]] = {author: [] for author in authors}
    texts: dict[str, str] = {}
    groups = public.groupby([Col.WEBINAR, Col.SOURCE], sort=False)
    several = public[Col.WEBINAR].nunique() > 1
    for (webinar, source), rows in groups:
        document, spans = _document(rows)
        source_guid = guid("source", webinar, source)
        file_name = f"{source_guid}.txt"
        texts[file_name] = document
        source_el = etree.SubElement(
            sources_el,
            ns + "TextSource",
            guid=source_guid,
            name=_xml_text(f"{webinar} - {source}" if several else str(source)),
            plainTextPath=f"internal://{file_name}",
            creatingUser=user_guid,
            creationDateTime=now,
        )
        etree.SubElement(source_el, ns + "Description").text = _xml_text(
            f"{len(rows)} comments of {source} ({webinar}), as read and tagged by feedback"
        )
        summary.sources += 1
        for (start, end), labels, scores, author, item in zip(
            spans,
            rows[Col.LABELS],
            rows[Col.SCORES] if Col.SCORES in rows else [""] * len(rows),
            rows[Col.AUTHOR],
            rows[Col.ITEM_ID],
            strict=True,
        ):
            codes = [c for c in str(labels or "").split(";") if c in known]
            if not codes:
                continue
            selection_guid = guid("selection", webinar, source, item, start)
            selection = etree.SubElement(
                source_el,
                ns + "PlainTextSelection",
                guid=selection_guid,
                name=_xml_text(f"{item}"),
                startPosition=str(start),
                endPosition=str(end),
                creatingUser=user_guid,
                creationDateTime=now,
            )
            confidence = _confidences(scores)
            described = "; ".join(
                f"{codebook.label(c)} {confidence[c]:.2f}" if c in confidence else codebook.label(c)
                for c in codes
            )
            etree.SubElement(selection, ns + "Description").text = _xml_text(
                f"automatic coding by feedback, confidence: {described}"
            )
            for code in codes:
                coding = etree.SubElement(
                    selection,
                    ns + "Coding",
                    guid=guid("coding", selection_guid, code),
                    creatingUser=user_guid,
                    creationDateTime=now,
                )
                etree.SubElement(coding, ns + "CodeRef", targetGUID=code_guid(code))
                summary.codings += 1
            summary.selections += 1
            if author:
                case_selections[author].append(selection_guid)
    for author in authors:
        case = etree.SubElement(
            cases_el, ns + "Case", guid=guid("case", author), name=_xml_text(author)
        )
        for selection_guid in case_selections[author]:
            etree.SubElement(case, ns + "SelectionRef", targetGUID=selection_guid)
        summary.cases += 1
    if not authors:
        root.remove(cases_el)
    if not len(sources_el):
        root.remove(sources_el)
    etree.SubElement(root, ns + "Description").text = _xml_text(
        f"Automatic coding of webinar feedback by {_origin()}: {summary.selections} coded "
        f"messages in {summary.sources} sources; private messages left out. Check it by hand."
    )
    xml = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    return xml, texts, summary


def write_project(
    tagged: pd.DataFrame,
    path: str | Path,
    codebook: Codebook,
    *,
    title: str = "Webinar feedback",
    names: str = "pseudonym",
    keep_names: Sequence[str] = (),
) -> ExportSummary:
    """Write a tagged table as a REFI-QDA project (``.qdpx``), atomically.

    Parameters
    ----------
    tagged : pandas.DataFrame
        A tagged items table (from :func:`feedback.tag` or ``feedback tag``).
    path : str or Path
        The ``.qdpx`` file to write.
    codebook : Codebook
        The codes the table was tagged with.
    title : str
        The project's name.
    names : {"pseudonym", "first", "full"}
        How participants are named in the cases and the texts (pseudonyms by default).
    keep_names : sequence of str
        Names kept as they are.

    Returns
    -------
    ExportSummary

    Examples
    --------
    >>> import feedback
    >>> from feedback.codebook import load_codebook
    >>> tagged = feedback.tag(feedback.load("data/sample"))  # doctest: +SKIP
    >>> write_project(tagged, "webinar.qdpx", load_codebook())  # doctest: +SKIP
    """
    from feedback.io import atomic_path

    xml, texts, summary = project_document(
        tagged, codebook, title=title, names=names, keep_names=keep_names
    )
    with (
        atomic_path(path, "wb") as handle,
        zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        archive.writestr("project.qde", xml)
        for name, text in texts.items():
            archive.writestr(f"sources/{name}", text.encode("utf-8"))
    return summary


# -- reading ---------------------------------------------------------------------------------
def _parse_xml(data: bytes, name: str):
    etree = _etree()
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True
    )
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        line = f"line {error.lineno}: " if getattr(error, "lineno", None) else ""
        raise FormatError(f"{name}: {line}not valid XML ({error.msg})") from None


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element, name: str) -> list:
    return [child for child in element if _local(child.tag) == name]


def _child(element, name: str):
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


@dataclass(frozen=True)
class QdaCode:
    """A code of a REFI-QDA codebook, as read."""

    guid: str
    name: str
    group: str
    description: str
    codable: bool


def _read_codes(codes_el, where: str) -> list[QdaCode]:
    out: list[QdaCode] = []

    def walk(element, top: str | None) -> None:
        for code in _children(element, "Code"):
            name = (code.get("name") or "").strip()
            code_guid_value = (code.get("guid") or "").strip().upper().strip("{}")
            if not name or not code_guid_value:
                raise CodebookError(
                    f"{where}: line {code.sourceline}: a Code needs a 'name' and a 'guid'"
                )
            children = _children(code, "Code")
            codable = (code.get("isCodable") or "true").strip().lower() in {"true", "1"}
            description = _child(code, "Description")
            text = " ".join((description.text or "").split()) if description is not None else ""
            if codable:
                group = top or (name if children else FLAT_GROUP)
                out.append(QdaCode(code_guid_value, name, group, text, codable))
            walk(code, top or name)

    walk(codes_el, None)
    return out


def codebook_from_codes(
    codes: Sequence[QdaCode], *, reference: Codebook | None = None, name: str = "codebook"
) -> tuple[Codebook, dict[str, str]]:
    """A :class:`Codebook` from codes read from a REFI-QDA file, and the GUID-to-id map.

    A code takes the id of the ``reference`` code with the same label (ignoring
    case) or whose GUID feedback would write; otherwise an id made from its name.
    """
    reference = reference or _bundled()
    by_label = {code.label.casefold(): code.id for code in reference.codes}
    by_guid = {code_guid(code.id): code.id for code in reference.codes}
    ids: dict[str, str] = {}
    taken: set[str] = set()
    made: list[Code] = []
    for code in codes:
        code_id = by_guid.get(code.guid) or by_label.get(code.name.casefold())
        if code_id is None or code_id in taken:
            code_id = slug_id(code.name, taken)
        taken.add(code_id)
        ids[code.guid] = code_id
        made.append(
            Code(id=code_id, label=code.name, group=code.group, description=code.description)
        )
    if not made:
        raise CodebookError(f"{name}: the codebook has no codable codes")
    return Codebook(codes=tuple(made), name=name, source=name), ids


def _bundled() -> Codebook:
    from feedback.codebook import load_codebook

    return load_codebook()


def read_codebook(path: str | Path, *, reference: Codebook | None = None) -> Codebook:
    """Read a REFI-QDA codebook (``.qdc``), or the codebook of a project (``.qdpx``).

    Parameters
    ----------
    path : str or Path
    reference : Codebook, optional
        Codes matched by label keep this codebook's ids (default: the bundled codebook).

    Raises
    ------
    CodebookError
        Naming the file and what is wrong.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CodebookError(f"{path}: cannot read the codebook ({error.strerror})") from None
    if data.startswith(b"PK\x03\x04"):
        return read_project_data(data, str(path), reference=reference).codebook
    try:
        root = _parse_xml(data, str(path))
    except FormatError as error:
        raise CodebookError(str(error)) from None
    if _local(root.tag) not in {"CodeBook", "Project"}:
        raise CodebookError(
            f"{path}: expected a REFI-QDA codebook (root element CodeBook), found "
            f"{_local(root.tag) or 'no element'}"
        )
    if _local(root.tag) == "Project":
        root = _child(root, "CodeBook")
    codes_el = _child(root, "Codes") if root is not None else None
    if codes_el is None:
        raise CodebookError(f"{path}: the codebook has no Codes element")
    book, _ = codebook_from_codes(
        _read_codes(codes_el, str(path)), reference=reference, name=path.stem
    )
    return Codebook(codes=book.codes, name=path.stem, source=str(path))


@dataclass
class CodedSelection:
    """A coded passage of a REFI-QDA project.

    Attributes
    ----------
    source : str
        Name of the text source.
    text : str
        The passage.
    codes : list of str
        Code ids (of :attr:`QdaProject.codebook`).
    start, end : int
        Character positions in the source text.
    case : str
        Name of the case (participant) the selection belongs to, if any.
    line : int
        Line of the selection in ``project.qde`` (0 when unknown).
    """

    source: str
    text: str
    codes: list[str]
    start: int
    end: int
    case: str = ""
    line: int = 0


@dataclass
class QdaProject:
    """A REFI-QDA project as read: its codebook and its coded selections."""

    name: str
    codebook: Codebook
    selections: list[CodedSelection] = field(default_factory=list)
    #: ``(where, reason)`` of each selection or coding that could not be read.
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def texts(self) -> list[str]:
        """The text of every coded selection."""
        return [s.text for s in self.selections]

    @property
    def labels(self) -> list[str]:
        """The codes of every coded selection, joined by ``;``."""
        return [";".join(s.codes) for s in self.selections]


def _member(archive: zipfile.ZipFile, wanted: str, where: str) -> bytes | None:
    """A zip member by path, ignoring case and a leading folder of the archive."""
    wanted_path = PurePosixPath(wanted.lstrip("/"))
    for info in archive.infolist():
        name = PurePosixPath(info.filename)
        if name.as_posix().casefold() == wanted_path.as_posix().casefold() or (
            len(name.parts) > 1
            and PurePosixPath(*name.parts[1:]).as_posix().casefold()
            == wanted_path.as_posix().casefold()
        ):
            if info.file_size > MAX_MEMBER:
                raise FormatError(f"{where}: {info.filename} is too large to read")
            return archive.read(info)
    return None


def _source_text(source_el, archive: zipfile.ZipFile, where: str) -> str | None:
    content = _child(source_el, "PlainTextContent")
    if content is not None:
        return content.text or ""
    path = source_el.get("plainTextPath") or ""
    if not path.startswith("internal://"):
        return None
    name = path[len("internal://") :]
    data = None
    for folder in ("Sources", "sources", ""):
        data = _member(archive, f"{folder}/{name}" if folder else name, where)
        if data is not None:
            break
    if data is None:
        return None
    from feedback.loaders.base import decode_bytes

    return decode_bytes(data, name)[0]


def read_project_data(data: bytes, name: str, *, reference: Codebook | None = None) -> QdaProject:
    """Read a ``.qdpx`` project from its bytes (see :func:`read_project`)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise FormatError(f"{name}: not a REFI-QDA project (.qdpx is a zip archive)") from None
    with archive:
        qde = _member(archive, "project.qde", name)
        if qde is None:
            qde_names = [i.filename for i in archive.infolist() if i.filename.endswith(".qde")]
            if len(qde_names) != 1:
                raise FormatError(f"{name}: the archive holds no project.qde")
            qde = archive.read(qde_names[0])
        root = _parse_xml(qde, f"{name}:project.qde")
        if _local(root.tag) != "Project":
            raise FormatError(
                f"{name}: project.qde: expected the root element Project, found {_local(root.tag)}"
            )
        book_el = _child(root, "CodeBook")
        codes_el = _child(book_el, "Codes") if book_el is not None else None
        codes = _read_codes(codes_el, f"{name}:project.qde") if codes_el is not None else []
        if not codes:
            raise FormatError(f"{name}: the project has no codable codes in its codebook")
        project_name = root.get("name") or Path(name).stem
        codebook, ids = codebook_from_codes(codes, reference=reference, name=project_name)
        cases = _case_names(root)
        project = QdaProject(name=project_name, codebook=codebook)
        sources_el = _child(root, "Sources")
        for source_el in _children(sources_el, "TextSource") if sources_el is not None else []:
            _read_source(source_el, archive, name, ids, cases, project)
    return project


def _case_names(root) -> dict[str, str]:
    """Selection GUID (and source GUID) to the name of its case."""
    out: dict[str, str] = {}
    cases_el = _child(root, "Cases")
    for case in _children(cases_el, "Case") if cases_el is not None else []:
        case_name = case.get("name") or ""
        for ref in [*_children(case, "SelectionRef"), *_children(case, "SourceRef")]:
            target = (ref.get("targetGUID") or "").upper().strip("{}")
            out.setdefault(target, case_name)
    return out


def _codes_of(element, ids: dict[str, str], where: str, project: QdaProject) -> list[str]:
    codes: list[str] = []
    for coding in _children(element, "Coding"):
        ref = _child(coding, "CodeRef")
        target = (ref.get("targetGUID") if ref is not None else "") or ""
        code_id = ids.get(target.upper().strip("{}"))
        if code_id is None:
            project.skipped.append(
                (f"{where}: line {coding.sourceline}", "a coding refers to no codable code")
            )
        elif code_id not in codes:
            codes.append(code_id)
    return codes


def _read_source(source_el, archive, name, ids, cases, project: QdaProject) -> None:
    source_name = source_el.get("name") or source_el.get("guid") or "source"
    where = f"{name}:project.qde"
    selections = _children(source_el, "PlainTextSelection")
    whole = _codes_of(source_el, ids, where, project)
    if not selections and not whole:
        return
    text = _source_text(source_el, archive, name)
    if text is None:
        project.skipped.append(
            (
                f"{where}: line {source_el.sourceline}",
                f"the text of source {source_name!r} is not in the project",
            )
        )
        return
    source_guid = (source_el.get("guid") or "").upper().strip("{}")
    if whole:
        project.selections.append(
            CodedSelection(
                source_name,
                text.strip(),
                whole,
                0,
                len(text),
                cases.get(source_guid, ""),
                source_el.sourceline or 0,
            )
        )
    for selection in selections:
        codes = _codes_of(selection, ids, where, project)
        if not codes:
            continue
        try:
            start = int(selection.get("startPosition"))
            end = int(selection.get("endPosition"))
        except (TypeError, ValueError):
            project.skipped.append(
                (
                    f"{where}: line {selection.sourceline}",
                    "startPosition/endPosition are not numbers",
                )
            )
            continue
        if not 0 <= start < end <= len(text):
            project.skipped.append(
                (
                    f"{where}: line {selection.sourceline}",
                    f"positions {start}-{end} are outside the text of {source_name!r} "
                    f"({len(text)} characters)",
                )
            )
            continue
        selection_guid = (selection.get("guid") or "").upper().strip("{}")
        case = cases.get(selection_guid) or cases.get(source_guid, "")
        passage = text[start:end].strip()
        if passage:
            project.selections.append(
                CodedSelection(
                    source_name, passage, codes, start, end, case, selection.sourceline or 0
                )
            )


def read_project(path: str | Path, *, reference: Codebook | None = None) -> QdaProject:
    """Read a REFI-QDA project (``.qdpx``): its codebook and coded text selections.

    Parameters
    ----------
    path : str or Path
        A project exported by NVivo, MAXQDA, ATLAS.ti, QualCoder or feedback.
    reference : Codebook, optional
        Codes matched by label keep this codebook's ids (default: the bundled one).

    Returns
    -------
    QdaProject

    Raises
    ------
    FormatError
        Naming the file (and the line of ``project.qde``) when it cannot be read.

    Examples
    --------
    >>> project = read_project("coded.qdpx")  # doctest: +SKIP
    >>> project.texts[:2], project.labels[:2]  # doctest: +SKIP
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise FormatError(f"{path}: cannot read the project ({error.strerror})") from None
    return read_project_data(data, str(path), reference=reference)


# -- comparing a tagger with people's coding ---------------------------------------------------
def agreement_table(model, texts: Sequence[str], labels: Sequence[str]) -> pd.DataFrame:
    """Per-code precision, recall, F1, support and Cohen's kappa of a tagger against coding.

    Codes of the coding that the tagger does not know are left out (the caller
    can list them with :func:`unknown_codes`).

    Returns
    -------
    pandas.DataFrame
        As :func:`feedback.classifier.evaluation_table`, with a ``kappa`` column
        (Cohen's kappa between the tagger and the coding, per code; the averages
        are over codes with support).
    """
    import numpy as np

    from feedback.classifier import evaluation_table, labels_to_matrix, parse_labels

    classes = list(model.classes_)
    known = set(classes)
    kept = [";".join(c for c in parse_labels(cell) if c in known) for cell in labels]
    truth = labels_to_matrix(kept, classes).astype(bool)
    predicted = np.asarray(model.predict(list(texts))).astype(bool)
    table = evaluation_table(truth, predicted, classes)
    kappas = [cohen_kappa(truth[:, i], predicted[:, i]) for i in range(len(classes))]
    has = truth.sum(axis=0) > 0
    mean = float(np.mean([k for k, h in zip(kappas, has, strict=True) if h])) if has.any() else 0.0
    table["kappa"] = [*kappas, cohen_kappa(truth.ravel(), predicted.ravel()), mean]
    return table


def cohen_kappa(a, b) -> float:
    """Cohen's kappa of two yes/no codings of the same items (0 when undefined).

    Examples
    --------
    >>> cohen_kappa([1, 1, 0, 0], [1, 1, 0, 0])
    1.0
    >>> cohen_kappa([1, 0, 1, 0], [1, 1, 0, 0])
    0.0
    """
    import numpy as np

    a = np.asarray(a, dtype=bool)
    b = np.asarray(b, dtype=bool)
    if not len(a):
        return 0.0
    observed = float((a == b).mean())
    pa, pb = float(a.mean()), float(b.mean())
    expected = pa * pb + (1 - pa) * (1 - pb)
    if expected >= 1.0:
        return 1.0 if observed == 1.0 else 0.0
    return (observed - expected) / (1 - expected)


def unknown_codes(labels: Sequence[str], codebook: Codebook) -> list[str]:
    """Codes used in ``labels`` that ``codebook`` does not have, in order of first use."""
    from feedback.classifier import parse_labels

    known = set(codebook.ids)
    return list(dict.fromkeys(c for cell in labels for c in parse_labels(cell) if c not in known))
