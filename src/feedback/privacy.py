"""Privacy: pseudonymising names, scrubbing personal details from text, merging small groups.

Used for every output meant to be shared. Private messages are never passed to
these functions by the report: they are dropped before (see
:func:`feedback.analysis.shareable`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from feedback.exceptions import FeedbackError
from feedback.schema import Col, PCol

if TYPE_CHECKING:
    import pandas as pd

NAME_MODES = ("pseudonym", "first", "full")

EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
URL_RE = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
#: Query parameters that carry personal or secret tokens.
_TOKEN_PARAMS = re.compile(
    r"[?&#](?:token|access_token|auth|key|api_key|apikey|sig|signature|pwd|password|passcode|"
    r"email|e-mail|mail|user|userid|user_id|uid|id|name|phone|session|sessionid|code|"
    r"invite|ticket|tk|otp)=",
    re.IGNORECASE,
)
#: UK and international phone numbers (at least 9 digits).
PHONE_RE = re.compile(
    r"(?<![\w+])(?:"
    r"\+\d{1,3}[\s.\-]?(?:\(0\)[\s.\-]?)?\d{1,5}(?:[\s.\-]?\d{2,5}){1,4}"  # +44 7700 900123
    r"|\(?0\d{2,5}\)?[\s.\-]?\d{3,4}[\s.\-]?\d{3,4}"  # 07700 900123, (020) 7946 0018
    r")(?![\w])"
)
NHS_CANDIDATE_RE = re.compile(r"(?<!\d)(\d{3})[\s\-]?(\d{3})[\s\-]?(\d{4})(?!\d)")
POSTCODE_RE = re.compile(
    r"\b(?:GIR ?0AA|[A-PR-UWYZ](?:[0-9][0-9A-HJKPSTUW]?|[A-HK-Y][0-9][0-9ABEHMNPRVWXY]?)"
    r" ?[0-9][ABD-HJLNP-UW-Z]{2})\b",
    re.IGNORECASE,
)


def nhs_number_valid(digits: str) -> bool:
    """Whether a 10-digit string has a valid NHS number check digit (modulus 11).

    Examples
    --------
    >>> nhs_number_valid("9434765919")
    True
    >>> nhs_number_valid("9434765918")
    False
    """
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def scrub_text(text: str) -> str:
    """Replace personal details in free text with placeholders.

    Emails become ``[email]``, URLs carrying personal tokens ``[url]``, NHS numbers
    (valid check digit) ``[nhs number]``, phone numbers ``[phone]`` and UK
    postcodes ``[postcode]``. Other URLs are kept.

    Examples
    --------
    >>> scrub_text("ring me on 07700 900123 or mail a.b@example.org")
    'ring me on [phone] or mail [email]'
    """
    if not text:
        return text

    def url(match: re.Match) -> str:
        value = match.group(0)
        if _TOKEN_PARAMS.search(value) or EMAIL_RE.search(value):
            return "[url]"
        return value

    text = URL_RE.sub(url, text)
    text = EMAIL_RE.sub("[email]", text)

    def nhs(match: re.Match) -> str:
        digits = "".join(match.groups())
        return "[nhs number]" if nhs_number_valid(digits) else match.group(0)

    text = NHS_CANDIDATE_RE.sub(nhs, text)
    text = PHONE_RE.sub(_phone, text)
    return POSTCODE_RE.sub("[postcode]", text)


def _phone(match: re.Match) -> str:
    value = match.group(0)
    digits = re.sub(r"\D", "", value)
    if len(digits) < 9 or len(digits) > 15:
        return value
    # A time range or year span ("10:00-11:00", "2019-2024") is not a phone number.
    if re.fullmatch(r"(?:19|20)\d\d\s*[-/]\s*(?:19|20)\d\d", value.strip()):
        return value
    return "[phone]"


#: First names that are also everyday words; they are replaced only as part of a full name.
_COMMON_WORDS = {
    "will", "may", "mark", "grace", "hope", "joy", "faith", "bill", "rose", "june", "april",
    "august", "sunny", "rich", "frank", "pat", "sue", "ray", "dawn", "summer", "max", "ben",
    "art", "guy", "jack", "chase", "rob", "matt", "don", "sky", "page", "amber", "ruby",
    "jade", "holly", "ivy", "lily", "daisy", "violet", "crystal", "autumn", "carol", "eve",
}  # fmt: skip


@dataclass
class Pseudonymiser:
    """Stable renaming of people within one run.

    Parameters
    ----------
    mode : {"pseudonym", "first", "full"}
        ``pseudonym`` gives "Participant 7"; ``first`` keeps first names; ``full``
        keeps names as they are.
    keep : iterable of str
        Names kept as they are in any mode (hosts and panelists who agreed).
    prefix : str
        Word used in pseudonyms.

    Examples
    --------
    >>> p = Pseudonymiser("pseudonym")
    >>> p.name("Caroline Jones"), p.name("Sam Okoye"), p.name("Caroline Jones")
    ('Participant 1', 'Participant 2', 'Participant 1')
    """

    mode: str = "pseudonym"
    keep: Iterable[str] = ()
    prefix: str = "Participant"
    mapping: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.mode not in NAME_MODES:
            raise FeedbackError(f"--names {self.mode!r}: expected one of {', '.join(NAME_MODES)}")
        self.keep = {k.strip().lower() for k in self.keep if k and k.strip()}
        self._pattern: re.Pattern | None = None
        self._replacements: dict[str, str] = {}

    def name(self, name: str) -> str:
        """The shareable form of ``name`` (empty stays empty)."""
        name = (name or "").strip()
        if not name:
            return ""
        key = _name_key(name)
        if key in self.mapping:
            return self.mapping[key]
        if key in self.keep or self.mode == "full":
            shown = name
        elif self.mode == "first":
            shown = _first_name(name)
        else:
            count = sum(1 for v in self.mapping.values() if v.startswith(self.prefix + " "))
            shown = f"{self.prefix} {count + 1}"
        self.mapping[key] = shown
        self._pattern = None
        return shown

    def learn(self, names: Iterable[str]) -> None:
        """Give names pseudonyms in this order (so numbering follows, e.g., the chat)."""
        for name in names:
            self.name(name)

    def key(self) -> dict[str, str]:
        """Pseudonym to real name, for the key file (only written when asked)."""
        return {shown: real for real, shown in self._originals().items()}

    def _originals(self) -> dict[str, str]:
        return getattr(self, "_original_names", {})

    def remember(self, name: str) -> None:
        """Record the original spelling of ``name`` for :meth:`key`."""
        originals = self.__dict__.setdefault("_original_names", {})
        if name and name.strip():
            originals.setdefault(name.strip(), self.name(name))

    def replace_in_text(self, text: str) -> str:
        """Replace known names inside ``text`` (longest first; ``@mentions`` included)."""
        if not text or self.mode == "full":
            return text
        if self._pattern is None:
            self._build()
        if self._pattern is None:
            return text
        return self._pattern.sub(self._substitute, text)

    def _substitute(self, match: re.Match) -> str:
        found = match.group(0)
        return self._replacements.get(found) or self._replacements.get(found.lower(), found)

    def _build(self) -> None:
        replacements: dict[str, str] = {}
        single: dict[str, str] = {}
        originals = self._originals()
        for real, shown in originals.items():
            if _name_key(real) in self.keep or real == shown:
                continue
            replacements.setdefault(real.lower(), shown)
            cleaned = _clean_name(real)
            if cleaned and cleaned.lower() != real.lower():
                replacements.setdefault(cleaned.lower(), shown)
            parts = cleaned.split()
            if len(parts) >= 2:
                first = parts[0]
                shown_first = shown if self.mode == "pseudonym" else _first_name(shown)
                if len(first) >= 3 and first.lower() not in _COMMON_WORDS:
                    single.setdefault(first, shown_first)
                last = parts[-1]
                if len(last) >= 4 and last.lower() not in _COMMON_WORDS and self.mode != "first":
                    single.setdefault(last, shown_first)
        # Full names match in any case; a first or last name alone only as written
        # (capitalised), so "ward sisters" survives a participant called Ward.
        self._replacements = {}
        for key, shown in replacements.items():
            self._replacements[key] = shown
            self._replacements["@" + key] = "@" + shown
        for key, shown in single.items():
            self._replacements.setdefault(key, shown)
            self._replacements.setdefault("@" + key, "@" + shown)
            self._replacements.setdefault("@" + key.lower(), "@" + shown)
        if not self._replacements:
            self._pattern = None
            return
        full = "|".join(re.escape(a) for a in sorted(replacements, key=len, reverse=True))
        names = "|".join(re.escape(a) for a in sorted(single, key=len, reverse=True))
        parts = []
        if full:
            parts.append(rf"(?i:@?(?:{full}))")
        if names:
            parts.append(rf"@?(?:{names})|(?i:@(?:{names}))")
        self._pattern = re.compile(rf"(?<![\w@])(?:{'|'.join(parts)})(?!\w)")


def _clean_name(name: str) -> str:
    """A display name without pronouns, bracketed notes and titles."""
    name = re.sub(r"\([^)]*\)", " ", name)
    name = re.sub(r"\b(?:dr|prof|professor|mr|mrs|ms|miss|mx|sir|dame|cllr)\.?\s+", "", name,
                  flags=re.IGNORECASE)  # fmt: skip
    return " ".join(name.replace("|", " ").split())


def _first_name(name: str) -> str:
    cleaned = _clean_name(name)
    if "," in cleaned:  # "Goliath, David"
        cleaned = cleaned.split(",", 1)[1].strip() or cleaned
    return cleaned.split()[0] if cleaned.split() else name


def _name_key(name: str) -> str:
    return " ".join(name.strip().lower().split())


def pseudonymise_items(
    items: pd.DataFrame,
    pseudonymiser: Pseudonymiser,
    *,
    participants: pd.DataFrame | None = None,
    scrub: bool = True,
) -> pd.DataFrame:
    """Rename authors and recipients, replace names inside text, and scrub details.

    Authors are numbered in order of first appearance; participants' names from
    ``participants`` are also replaced inside text. Returns a copy.
    """
    out = items.copy()
    for name in list(out[Col.AUTHOR]) + list(out[Col.RECIPIENT]):
        if name and name.lower() != "everyone":
            pseudonymiser.remember(name)
    if participants is not None and len(participants):
        for name in participants[PCol.NAME]:
            pseudonymiser.remember(str(name))
    out[Col.AUTHOR] = out[Col.AUTHOR].map(pseudonymiser.name)
    out[Col.RECIPIENT] = out[Col.RECIPIENT].map(
        lambda n: n if n.lower() in {"", "everyone"} else pseudonymiser.name(n)
    )
    out[Col.RESPONDENT] = out[Col.RESPONDENT].map(lambda r: scrub_text(r) if scrub else r)
    for column in (Col.TEXT, Col.ANSWER, Col.QUESTION):
        values = out[column].astype(str).map(pseudonymiser.replace_in_text)
        out[column] = values.map(scrub_text) if scrub else values
    return out


def merge_small_groups(counts: pd.Series, *, minimum: int = 3, other: str = "Other") -> pd.Series:
    """Merge groups smaller than ``minimum`` people into ``other``.

    Parameters
    ----------
    counts : pandas.Series
        Group name to number of people.

    Returns
    -------
    pandas.Series
        Large groups in descending order, then ``other`` (if any were merged).
        When the merged "Other" group itself holds fewer than ``minimum`` people it
        is still shown: it names nobody.
    """
    import pandas as pd

    counts = counts[counts > 0]
    big = counts[counts >= minimum].sort_values(ascending=False)
    small = int(counts[counts < minimum].sum())
    if small:
        big = pd.concat([big, pd.Series({other: small})])
    return big


def safe_quote(text: str, pseudonymiser: Pseudonymiser) -> str:
    """A comment ready to quote: names replaced and personal details scrubbed."""
    return scrub_text(pseudonymiser.replace_in_text(text))


def private_count(items: pd.DataFrame) -> int:
    """Number of private messages (counted, never shown)."""
    return int(items[Col.IS_PRIVATE].astype(bool).sum())


def drop_private(items: pd.DataFrame) -> pd.DataFrame:
    """Items without private messages."""
    return items[~items[Col.IS_PRIVATE].astype(bool)].reset_index(drop=True)


def first_names(names: Sequence[str]) -> list[str]:
    """First names of display names (titles and pronouns removed)."""
    return [_first_name(n) for n in names]


def anonymise_tables(
    items: pd.DataFrame, participants: pd.DataFrame, pseudonymiser: Pseudonymiser
) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Shareable copies of the items and participants tables.

    Private messages are removed, names are replaced (in columns and inside text),
    free text is scrubbed, and participants lose their email addresses.

    Returns
    -------
    (items, participants, private messages removed)
    """
    dropped = private_count(items)
    public = drop_private(items)
    for name in items.loc[items[Col.IS_PRIVATE].astype(bool), Col.AUTHOR]:
        pseudonymiser.remember(name)
    safe_items = pseudonymise_items(public, pseudonymiser, participants=participants)
    safe_participants = participants.copy()
    if len(safe_participants):
        safe_participants[PCol.NAME] = safe_participants[PCol.NAME].map(pseudonymiser.name)
        safe_participants[PCol.EMAIL] = ""
    return safe_items, safe_participants, dropped
