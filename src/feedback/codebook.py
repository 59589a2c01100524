"""The codebook: the codes comments are tagged with, as a data file people can edit.

A codebook is a YAML (or TOML) file with a list of codes, each with an ``id``,
``label``, ``group``, ``description``, key ``phrases`` and ``examples``. The
default codebook ships with the package (``assets/codebook.yaml``).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from feedback.exceptions import CodebookError

#: Groups of the default codebook, in report order. A user's codebook may add others.
DEFAULT_GROUPS = ("principle", "activity", "theme", "request", "other")
#: Groups whose codes are substantive (shown as "what people talked about").
SUBSTANTIVE_GROUPS = ("principle", "activity", "theme")

_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_CODE_KEYS = {"id", "label", "group", "description", "phrases", "examples"}
_TOP_KEYS = {"name", "version", "description", "acronyms", "codes"}
_ACRONYM_RE = re.compile(r"^[A-Za-z][A-Za-z0-9&]*$")


@dataclass(frozen=True)
class Code:
    """One code of a codebook.

    Attributes
    ----------
    id : str
        Stable identifier (lower case, digits and underscores).
    label : str
        Name shown in reports.
    group : str
        ``principle``, ``activity``, ``theme``, ``request``, ``other`` or a user's own.
    description : str
    phrases : tuple of str
        Key phrases; a comment that contains one (after stemming) is a strong hint.
    examples : tuple of str
        Comments that carry the code; used as extra training data.
    """

    id: str
    label: str
    group: str
    description: str = ""
    phrases: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class Codebook:
    """An ordered collection of codes.

    Use :func:`load_codebook` to read one.
    """

    codes: tuple[Code, ...]
    name: str = "codebook"
    version: str = "1"
    description: str = ""
    source: str = field(default="", compare=False)
    #: Acronym glossary: (acronym, expansion) pairs, expanded in comments before tagging.
    acronyms: tuple[tuple[str, str], ...] = ()

    @property
    def ids(self) -> list[str]:
        """Code ids in codebook order."""
        return [code.id for code in self.codes]

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, code_id: str) -> Code:
        for code in self.codes:
            if code.id == code_id:
                return code
        raise KeyError(code_id)

    def __contains__(self, code_id: object) -> bool:
        return any(code.id == code_id for code in self.codes)

    def label(self, code_id: str) -> str:
        """The display label of ``code_id`` (the id itself when unknown)."""
        return self[code_id].label if code_id in self else code_id

    def group_of(self, code_id: str) -> str:
        """The group of ``code_id`` (``""`` when unknown)."""
        return self[code_id].group if code_id in self else ""

    def in_groups(self, groups: tuple[str, ...] | list[str]) -> list[str]:
        """Ids of the codes in any of ``groups``, in codebook order."""
        return [code.id for code in self.codes if code.group in groups]

    @property
    def groups(self) -> list[str]:
        """Groups in order of first appearance."""
        seen: list[str] = []
        for code in self.codes:
            if code.group not in seen:
                seen.append(code.group)
        return seen

    def to_dict(self) -> dict:
        """A plain dict (as in the file), for saving inside models and manifests."""
        out = {
            "name": self.name,
            "version": self.version,
            "description": self.description,
        }
        if self.acronyms:
            out["acronyms"] = dict(self.acronyms)
        out["codes"] = [
            {**asdict(c), "phrases": list(c.phrases), "examples": list(c.examples)}
            for c in self.codes
        ]
        return out

    def fingerprint(self) -> str:
        """SHA-256 of the codebook's content (ids, groups, phrases), for manifests."""
        payload = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def to_yaml(self) -> str:
        """The codebook as YAML text."""
        import yaml

        return yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True, width=100)


def default_codebook_text() -> str:
    """Text of the bundled default codebook (YAML, with comments)."""
    from importlib.resources import files

    return files("feedback.assets").joinpath("codebook.yaml").read_text(encoding="utf-8")


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Read and validate a codebook.

    Parameters
    ----------
    path : str or Path, optional
        A ``.yaml``/``.yml`` or ``.toml`` file; the bundled default when omitted.

    Returns
    -------
    Codebook

    Raises
    ------
    CodebookError
        Naming the file, the line and what is wrong.

    Examples
    --------
    >>> book = load_codebook()
    >>> book.ids[:3]
    ['complexity', 'leadership', 'individual']
    """
    if path is None:
        return _default_codebook()
    path = Path(path)
    if path.suffix.lower() in {".qdc", ".qdpx"}:  # REFI-QDA codebook, or a project's codes
        from feedback.refi_qda import read_codebook

        return read_codebook(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise CodebookError(f"{path}: cannot read the codebook ({error.strerror})") from None
    except UnicodeDecodeError:
        raise CodebookError(f"{path}: the codebook must be UTF-8 text") from None
    return parse_codebook(text, str(path), toml=path.suffix.lower() == ".toml")


@lru_cache(maxsize=1)
def _default_codebook() -> Codebook:
    """The bundled codebook, read once per process (a Codebook cannot be changed)."""
    return parse_codebook(default_codebook_text(), "codebook.yaml (default)")


def _yaml_loader():
    """libyaml's safe loader where PyYAML was built with it (ten times faster), else PyYAML's."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_codebook(text: str, name: str = "<codebook>", *, toml: bool = False) -> Codebook:
    """Parse and validate codebook text (YAML, or TOML when ``toml``).

    Raises
    ------
    CodebookError
        Naming ``name``, the line and what is wrong.
    """
    lines: dict[int, int] = {}
    if toml:
        import tomllib

        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise CodebookError(f"{name}: not valid TOML ({error})") from None
        lines = _toml_code_lines(text)
    else:
        import yaml

        try:
            data = yaml.load(text, Loader=_yaml_loader())
            lines = _yaml_code_lines(yaml.compose(text, Loader=_yaml_loader()))
        except yaml.YAMLError:
            # PyYAML's own parser words its errors more plainly than libyaml's.
            try:
                data = yaml.safe_load(text)
                lines = _yaml_code_lines(yaml.compose(text))
            except yaml.YAMLError as error:
                mark = getattr(error, "problem_mark", None)
                where = f"line {mark.line + 1}: " if mark is not None else ""
                problem = getattr(error, "problem", None) or str(error)
                raise CodebookError(f"{name}: {where}not valid YAML ({problem})") from None
    return _validate(data, name, lines)


def _yaml_code_lines(node) -> dict[int, int]:
    """Map the index of each entry under ``codes:`` to its 1-based line."""
    import yaml

    out: dict[int, int] = {}
    if not isinstance(node, yaml.MappingNode):
        return out
    for key, value in node.value:
        if getattr(key, "value", None) == "codes" and isinstance(value, yaml.SequenceNode):
            for index, item in enumerate(value.value):
                out[index] = item.start_mark.line + 1
    return out


def _toml_code_lines(text: str) -> dict[int, int]:
    out: dict[int, int] = {}
    index = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() == "[[codes]]":
            out[index] = number
            index += 1
    return out


def _validate(data: object, name: str, lines: dict[int, int]) -> Codebook:
    if not isinstance(data, dict):
        raise CodebookError(f"{name}: expected a mapping with a 'codes' list at the top")
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise CodebookError(
            f"{name}: unknown top-level key(s) {unknown}; expected some of {sorted(_TOP_KEYS)}"
        )
    raw_codes = data.get("codes")
    if not isinstance(raw_codes, list) or not raw_codes:
        raise CodebookError(f"{name}: 'codes' must be a non-empty list of codes")
    codes: list[Code] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_codes):
        where = f"{name}: line {lines[index]}" if index in lines else f"{name}: code {index + 1}"
        if not isinstance(raw, dict):
            raise CodebookError(f"{where}: each code must be a mapping with id, label and group")
        unknown = sorted(set(raw) - _CODE_KEYS)
        if unknown:
            raise CodebookError(
                f"{where}: unknown key(s) {unknown}; a code has {sorted(_CODE_KEYS)}"
            )
        for key in ("id", "label", "group"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise CodebookError(f"{where}: the code needs a text '{key}'")
        code_id = raw["id"].strip()
        if not _ID_RE.match(code_id):
            raise CodebookError(
                f"{where}: id {code_id!r} must start with a letter and use only lower-case "
                "letters, digits and underscores"
            )
        if code_id in seen:
            first = seen[code_id]
            first_where = f"line {lines[first]}" if first in lines else f"code {first + 1}"
            raise CodebookError(f"{where}: duplicate id {code_id!r} (first used at {first_where})")
        seen[code_id] = index
        phrases = _string_list(raw.get("phrases", []), f"{where}: 'phrases' of {code_id!r}")
        examples = _string_list(raw.get("examples", []), f"{where}: 'examples' of {code_id!r}")
        description = raw.get("description", "") or ""
        if not isinstance(description, str):
            raise CodebookError(f"{where}: 'description' of {code_id!r} must be text")
        codes.append(
            Code(
                id=code_id,
                label=raw["label"].strip(),
                group=raw["group"].strip(),
                description=" ".join(description.split()),
                phrases=tuple(phrases),
                examples=tuple(examples),
            )
        )
    return Codebook(
        codes=tuple(codes),
        acronyms=_acronyms(data.get("acronyms"), name),
        name=str(data.get("name", "codebook")),
        version=str(data.get("version", "1")),
        description=" ".join(str(data.get("description", "") or "").split()),
        source=name,
    )


def _acronyms(value: object, name: str) -> tuple[tuple[str, str], ...]:
    """The ``acronyms:`` glossary: a mapping of acronym to what it stands for."""
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise CodebookError(
            f"{name}: 'acronyms' must be a mapping of acronym to its meaning, "
            "e.g. 'ICB: integrated care board'"
        )
    out = []
    for key, meaning in value.items():
        acronym = str(key).strip()
        if not _ACRONYM_RE.match(acronym):
            raise CodebookError(
                f"{name}: acronym {acronym!r} must be one word of letters and digits"
            )
        if not isinstance(meaning, str) or not meaning.strip():
            raise CodebookError(f"{name}: acronym {acronym!r} needs a text meaning")
        out.append((acronym, " ".join(meaning.split())))
    return tuple(out)


def _string_list(value: object, what: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
        raise CodebookError(f"{what} must be a list of texts")
    out = [str(v).strip() for v in value]
    if any(not v for v in out):
        raise CodebookError(f"{what} holds an empty entry")
    return out


def codebook_from_dict(data: dict, name: str = "<model>") -> Codebook:
    """Rebuild a codebook from :meth:`Codebook.to_dict` output (e.g. stored in a model)."""
    return _validate(data, name, {})
