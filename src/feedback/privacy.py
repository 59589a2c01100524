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
from feedback.schema import Col, Kind, PCol

if TYPE_CHECKING:
    import pandas as pd

NAME_MODES = ("pseudonym", "first", "full")

#: Placeholders that :func:`scrub_text` puts in place of personal details.
PLACEHOLDERS = ("[email]", "[url]", "[nhs number]", "[phone]", "[postcode]")

EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_AT = r"\s*[\[(<{]\s*at\s*[\])>}]\s*"
_DOT = r"(?:\.|\s*[\[(<{]\s*dot\s*[\])>}]\s*)"
#: Emails written to dodge harvesters: ``jo.bloggs [at] example [dot] org``.
OBFUSCATED_EMAIL_RE = re.compile(
    rf"(?<![\w.+-])[\w.+-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[a-z]{{2,}}\b", re.IGNORECASE
)
URL_RE = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
_TOKEN_NAMES = (
    r"(?:token|access_token|auth|key|api_key|apikey|sig|signature|pwd|password|passcode|"
    r"email|e-mail|mail|user|userid|user_id|uid|id|name|phone|session|sessionid|code|"
    r"invite|ticket|tk|otp)"
)
#: Query parameters that carry personal or secret tokens.
_TOKEN_PARAMS = re.compile(rf"[?&#]{_TOKEN_NAMES}=", re.IGNORECASE)
#: A link without ``http``/``www`` that still carries a token (``zoom.us/j/1?pwd=...``).
_TOKEN_LINK_RE = re.compile(rf"[^\s<>\"'()\[\]]*[?&#]{_TOKEN_NAMES}=[^\s<>\"']*", re.IGNORECASE)
#: Links to one person's social media profile (they name the pseudonymised author).
_PROFILE_RE = re.compile(
    r"(?:https?://)?(?:[\w-]+\.)*(?:linkedin\.com/(?:in|pub)/|(?:twitter|x|facebook|instagram)\.com/(?!home\b)\w"
    r"|bsky\.app/profile/|(?:threads\.net|tiktok\.com)/@)",
    re.IGNORECASE,
)
#: A profile link written without ``http``/``www`` (``linkedin.com/in/jo-bloggs``).
_PROFILE_LINK_RE = re.compile(
    r"(?<![\w.@/-])(?:[\w-]+\.)*(?:linkedin\.com/(?:in|pub)|bsky\.app/profile)/[^\s<>\"']+",
    re.IGNORECASE,
)
#: Characters that end a sentence rather than a link.
_URL_TRAILING = ".,;:!?)]}'\""
#: UK and international phone numbers (at least 9 digits).
PHONE_RE = re.compile(
    r"(?<![\w+])(?:"
    r"(?:\+|00)\d{1,3}[\s.\-]?(?:\(0\)[\s.\-]?)?(?:\(\d{1,5}\)|\d{1,5})(?:[\s.\-]?\d{2,5}){1,4}"
    # +44 7700 900123, +44 (0)20 7946 0018, +1 (415) 555-0100, 0044 20 7946 0018
    r"|\(?0\d{2,5}\)?[\s.\-]?\d{3,4}[\s.\-]?\d{3,4}"  # 07700 900123, (020) 7946 0018
    r"|\(\d{3}\)[\s.\-]?\d{3}[\s.\-]\d{4}"  # (415) 555-0100
    r")(?![\w])"
)
NHS_CANDIDATE_RE = re.compile(r"(?<!\d)(\d{3})[\s\-]?(\d{3})[\s\-]?(\d{4})(?!\d)")
POSTCODE_RE = re.compile(
    r"\b(?:GIR ?0AA|[A-PR-UWYZ](?:[0-9][0-9A-HJKPSTUW]?|[A-HK-Y][0-9][0-9ABEHMNPRVWXY]?)"
    r" ?[0-9][ABD-HJLNP-UW-Z]{2})\b",
    re.IGNORECASE,
)
#: Spans of text that name replacement must leave whole (so scrubbing still sees them).
_PROTECTED_RE = re.compile(
    "|".join(
        [
            EMAIL_RE.pattern,
            OBFUSCATED_EMAIL_RE.pattern,
            URL_RE.pattern,
            _TOKEN_LINK_RE.pattern,
            _PROFILE_LINK_RE.pattern,
            *(re.escape(p) for p in PLACEHOLDERS),
        ]
    ),
    re.IGNORECASE,
)
#: Recipients that are groups of people, not a person ("Everyone", "Hosts and panelists").
_ROLE_WORDS = (
    r"(?:hosts?|co-?hosts?|panelists?|attendees?|participants?|presenters?|organi[sz]ers?"
    r"|diskussionsteilnehmer(?:n)?|teilnehmer(?:n)?|moderatoren?)"
)
_GROUP_RECIPIENT_RE = re.compile(
    r"^(?:everyone|everybody|all|alle|jeder|allen|"
    rf"(?:all\s+|alle\s+)?{_ROLE_WORDS}(?:\s*(?:and|&|und|,)\s*{_ROLE_WORDS})*)$",
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
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def scrub_text(text: str) -> str:
    """Replace personal details in free text with placeholders.

    Emails become ``[email]``, links carrying personal tokens (``?pwd=``,
    ``?email=``, ``?token=``...) or leading to one person's profile (LinkedIn,
    X/Twitter, Facebook, Instagram, Bluesky...) ``[url]``, NHS numbers (valid check digit)
    ``[nhs number]``, phone numbers ``[phone]`` and UK postcodes ``[postcode]``.
    Other links are kept, and so are numbers that are not phone numbers or
    valid NHS numbers.

    Examples
    --------
    >>> scrub_text("ring me on 07700 900123 or mail a.b@example.org")
    'ring me on [phone] or mail [email]'
    >>> scrub_text("join (https://zoom.us/j/85261304471?pwd=abc1)")
    'join ([url])'
    """
    if not text:
        return text

    def url(match: re.Match) -> str:
        value = match.group(0)
        core = value.rstrip(_URL_TRAILING)
        if _TOKEN_PARAMS.search(core) or EMAIL_RE.search(core) or _PROFILE_RE.match(core):
            return "[url]" + value[len(core) :]
        return value

    text = URL_RE.sub(url, text)
    text = _TOKEN_LINK_RE.sub(url, text)
    text = _PROFILE_LINK_RE.sub(url, text)
    text = EMAIL_RE.sub("[email]", text)
    text = OBFUSCATED_EMAIL_RE.sub("[email]", text)

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


def has_personal_details(text: str) -> bool:
    """Whether :func:`scrub_text` would change ``text`` (an email, phone number...).

    Examples
    --------
    >>> has_personal_details("+44 7700 900123"), has_personal_details("Sam Okoye")
    (True, False)
    """
    return bool(text) and scrub_text(text) != text


#: First names that are also everyday words; they are replaced only as part of a full name.
_COMMON_WORDS = {
    "will", "may", "mark", "grace", "hope", "joy", "faith", "bill", "rose", "june", "april",
    "august", "sunny", "rich", "frank", "pat", "sue", "ray", "dawn", "summer", "max", "ben",
    "art", "guy", "jack", "chase", "rob", "matt", "don", "sky", "page", "amber", "ruby",
    "jade", "holly", "ivy", "lily", "daisy", "violet", "crystal", "autumn", "carol", "eve",
}  # fmt: skip
#: Letters after a name that are not part of it ("Caroline Jones, RN").
_SUFFIXES = {
    "jr", "sr", "ii", "iii", "iv", "phd", "md", "rn", "rgn", "rmn", "mbe", "obe", "cbe",
    "frcp", "frcs", "mrcp", "frcn", "msc", "bsc", "ba", "ma", "mba", "dphil", "mph", "esq",
}  # fmt: skip
#: Replacement value meaning "leave this name as it is" (kept names).
_KEEP = "\x00keep"


@dataclass
class Pseudonymiser:
    """Stable renaming of people within one run.

    Parameters
    ----------
    mode : {"pseudonym", "first", "full"}
        ``pseudonym`` gives "Participant 7"; ``first`` keeps first names; ``full``
        keeps names as they are. In ``first`` and ``full`` modes a "name" that is
        really an email address or a phone number (dial-in callers, guests) still
        gets a pseudonym.
    keep : iterable of str
        Names kept as they are in any mode (hosts and panelists who agreed);
        compared without case, titles or pronouns.
    prefix : str
        Word used in pseudonyms.

    Notes
    -----
    Names are matched without case, titles ("Dr") or bracketed notes
    ("(she/her)"), so "Dr Amara Okafor" and "Amara Okafor" are one person.
    Inside text (:meth:`replace_in_text`), full names are replaced in any case,
    longest first, and kept names are left whole; a first name (3 letters or
    more, not an everyday word such as "Grace") or a last name (4 letters or
    more) alone is replaced only when written as in the name (usually
    capitalised), or as an ``@mention`` in any case.

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
        self.keep = {_name_key(k) for k in self.keep if k and k.strip()}
        self._pattern: re.Pattern | None = None
        self._replacements: dict[str, str] = {}
        self._original_names: dict[str, str] = {}
        pseudonym = re.compile(rf"{re.escape(self.prefix)} \d+")
        self._issued = sum(1 for v in self.mapping.values() if pseudonym.fullmatch(v))

    def name(self, name: str) -> str:
        """The shareable form of ``name`` (empty stays empty)."""
        name = (name or "").strip()
        if not name:
            return ""
        key = _name_key(name)
        if key in self.mapping:
            return self.mapping[key]
        if key in self.keep:
            shown = name
        elif self.mode == "pseudonym" or has_personal_details(name):
            self._issued += 1
            shown = f"{self.prefix} {self._issued}"
        elif self.mode == "full":
            shown = name
        else:
            shown = _first_name(name)
        self.mapping[key] = shown
        self._pattern = None
        return shown

    def learn(self, names: Iterable[str]) -> None:
        """Give names pseudonyms in this order (so numbering follows, e.g., the chat)."""
        for name in names:
            self.name(name)

    def key(self) -> dict[str, str]:
        """Shown name to real name(s), for the key file (only written when asked).

        Pseudonyms come in number order. Names shown as they are (kept names,
        ``full`` mode) are left out; when several spellings or people share a
        shown name (``first`` mode), they are joined with ``"; "``.
        """
        out: dict[str, list[str]] = {}
        for real, shown in self._original_names.items():
            if real != shown:
                names = out.setdefault(shown, [])
                if real not in names:
                    names.append(real)
        pseudonym = re.compile(rf"{re.escape(self.prefix)} (\d+)")

        def order(shown: str) -> tuple:
            match = pseudonym.fullmatch(shown)
            return (0, int(match.group(1)), "") if match else (1, 0, shown.lower())

        return {shown: "; ".join(out[shown]) for shown in sorted(out, key=order)}

    def remember(self, name: str) -> None:
        """Record the original spelling of ``name`` for :meth:`key` and text replacement."""
        if name and name.strip():
            name = name.strip()
            if name not in self._original_names:
                self._original_names[name] = self.name(name)
                self._pattern = None

    def replace_in_text(self, text: str) -> str:
        """Replace known names inside ``text`` (longest first; ``@mentions`` included).

        Emails, links and placeholders are left whole, so that :func:`scrub_text`
        still recognises them afterwards.
        """
        if not text or self.mode == "full":
            return text
        if self._pattern is None:
            self._build()
        if self._pattern is None:
            return text
        protected = [m.span() for m in _PROTECTED_RE.finditer(text)]

        def substitute(match: re.Match) -> str:
            start = match.start()
            if any(a <= start < b for a, b in protected):
                return match.group(0)
            return self._substitute(match)

        return self._pattern.sub(substitute, text)

    def _substitute(self, match: re.Match) -> str:
        found = match.group(0)
        shown = self._replacements.get(found) or self._replacements.get(found.lower(), found)
        return found if shown == _KEEP else shown

    def _build(self) -> None:
        full: dict[str, str] = {}
        single: dict[str, str] = {}
        for real, shown in self._original_names.items():
            spellings = {real.lower(), _clean_name(real).lower(), _ordered_name(real).lower()}
            spellings.discard("")
            if _name_key(real) in self.keep or real == shown:
                for spelling in spellings:
                    full[spelling] = _KEEP
                continue
            for spelling in spellings:
                full.setdefault(spelling, shown)
            parts = _name_parts(real)
            if len(parts) >= 2:
                first, last = parts[0], parts[-1]
                if len(first) >= 3 and first.lower() not in _COMMON_WORDS:
                    single.setdefault(first, shown)
                if len(last) >= 4 and last.lower() not in _COMMON_WORDS:
                    single.setdefault(last, shown)
        # Full names match in any case; a first or last name alone only as written
        # (capitalised), so "ward sisters" survives a participant called Ward.
        self._replacements = {}
        for key, shown in full.items():
            self._replacements[key] = shown
            self._replacements["@" + key] = shown if shown == _KEEP else "@" + shown
        for key, shown in single.items():
            self._replacements.setdefault(key, shown)
            self._replacements.setdefault("@" + key, "@" + shown)
            self._replacements.setdefault("@" + key.lower(), "@" + shown)
        if not self._replacements:
            self._pattern = None
            return
        names_full = _literal_pattern(full)
        names_single = _literal_pattern(single)
        parts = []
        if names_full:
            parts.append(rf"(?i:@?(?:{names_full}))")
        if names_single:
            parts.append(rf"@?(?:{names_single})|(?i:@(?:{names_single}))")
        self._pattern = re.compile(rf"(?<![\w@])(?:{'|'.join(parts)})(?!\w)")


def _literal_pattern(words: Iterable[str]) -> str:
    """A regex matching any of ``words``, the longest first, built as a trie.

    An alternation of thousands of names is tried name by name at every position
    of a text; a trie tries each character once, which keeps reports of large
    webinars fast.

    Examples
    --------
    >>> _literal_pattern(["jo", "jones", "joy"])
    'jo(?:nes|y)?'
    """
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        ends_here = "" in node
        if len(branches) == 1 and not ends_here:
            return branches[0]
        group = "(?:" + "|".join(branches) + ")"
        return group + "?" if ends_here else group

    return emit(trie)


def _clean_name(name: str) -> str:
    """A display name without pronouns, bracketed notes and titles."""
    name = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", name)
    name = re.sub(r"\b(?:dr|prof|professor|mr|mrs|ms|miss|mx|sir|dame|cllr|rev|revd)\.?\s+", "",
                  name, flags=re.IGNORECASE)  # fmt: skip
    return " ".join(name.replace("|", " ").split())


def _is_suffix(word: str) -> bool:
    return word.strip(".,").lower() in _SUFFIXES


def _ordered_name(name: str) -> str:
    """The cleaned name, given name first ("Okafor, Chidi" -> "Chidi Okafor")."""
    cleaned = _clean_name(name)
    if "," in cleaned:
        before, after = (s.strip() for s in cleaned.split(",", 1))
        after_words = after.replace(",", " ").split()
        if not after_words or all(_is_suffix(w) for w in after_words):
            cleaned = before
        elif before:
            cleaned = f"{after.replace(',', ' ')} {before}"
    words = cleaned.split()
    while len(words) > 1 and _is_suffix(words[-1]):
        words.pop()
    return " ".join(words)


def _name_parts(name: str) -> list[str]:
    """The words of a name that are name words (no digits, emails or phone numbers)."""
    words = [w.strip(".,;:!?\"'") for w in _ordered_name(name).split()]
    return [
        w for w in words if w and any(ch.isalpha() for ch in w) and not re.search(r"[\d@+/]", w)
    ]


def _first_name(name: str) -> str:
    parts = _name_parts(name)
    if parts:
        return parts[0]
    cleaned = _ordered_name(name)
    return cleaned.split()[0] if cleaned.split() else name


def _name_key(name: str) -> str:
    return " ".join((_ordered_name(name) or name).lower().split())


def is_person(recipient: str) -> bool:
    """Whether a chat recipient names a person (not everyone or a group such as "Hosts").

    Examples
    --------
    >>> is_person("Sam Okoye"), is_person("Everyone"), is_person("All panelists and attendees")
    (True, False, False)
    """
    value = (recipient or "").strip()
    return bool(value) and not _GROUP_RECIPIENT_RE.match(value)


def _people(items: pd.DataFrame) -> list[str]:
    """Authors and person recipients of ``items``, in order of appearance."""
    names: list[str] = []
    for author, recipient in zip(items[Col.AUTHOR], items[Col.RECIPIENT], strict=True):
        for name in (author, recipient):
            if isinstance(name, str) and is_person(name):
                names.append(name)
    return names


_REACTION_RE = re.compile(
    r'^(?P<head>Reacted to |Removed an? .{1,32}? reaction from )"(?P<snippet>.*)"'
    r"(?P<tail>(?: with [^\n]{1,32})?)$",
    re.DOTALL,
)
#: Characters of the quoted message a Zoom reaction shows.
_SNIPPET = 20


def _safe_reactions(out: pd.DataFrame, raw: Sequence[str]) -> None:
    """Rebuild reactions' quoted snippets from the shareable text of their target.

    A snippet cut at 20 characters can hold part of a phone number or a surname
    that no longer looks like one; the target's own text has been made safe whole.
    """
    kinds = out[Col.KIND].tolist()
    if Kind.REACTION not in kinds:
        return
    texts = out[Col.TEXT].tolist()
    safe = dict(zip(out[Col.ITEM_ID], texts, strict=True))
    for i, (kind, target) in enumerate(zip(kinds, out[Col.REPLY_TO], strict=True)):
        match = _REACTION_RE.match(raw[i]) if kind == Kind.REACTION else None
        if match is None:
            continue
        quoted = " ".join(str(safe.get(target, "")).split())
        snippet = quoted if len(quoted) <= _SNIPPET else quoted[:_SNIPPET] + "..."
        texts[i] = f'{match["head"]}"{snippet or "..."}"{match["tail"]}'
    out[Col.TEXT] = texts


def learn_people(
    pseudonymiser: Pseudonymiser,
    items: pd.DataFrame,
    participants: pd.DataFrame | None = None,
) -> None:
    """Number the people of a webinar before anything is pseudonymised.

    Authors and person recipients of public items come first, in order of
    appearance, then the participants table, then people seen only in private
    messages. Everyone is remembered, so their names are replaced inside text
    even when they never wrote in public, and numbering says nothing about who
    wrote privately. Names already numbered keep their pseudonyms.
    """
    private = items[Col.IS_PRIVATE].astype(bool)
    for name in _people(items[~private]):
        pseudonymiser.remember(name)
    if participants is not None and len(participants):
        for name in participants[PCol.NAME]:
            pseudonymiser.remember(str(name))
    for name in _people(items[private]):
        pseudonymiser.remember(name)


def pseudonymise_items(
    items: pd.DataFrame,
    pseudonymiser: Pseudonymiser,
    *,
    participants: pd.DataFrame | None = None,
    scrub: bool = True,
) -> pd.DataFrame:
    """Rename authors and recipients, replace names inside text, and scrub details.

    Authors and recipients are numbered in order of first appearance (groups such
    as "Everyone" or "All panelists and attendees" are not people and stay);
    participants' names from ``participants`` are also replaced inside text.
    Reactions quote a snippet of the safe text of the message they react to.
    Returns a copy.
    """
    out = items.copy()
    for name in _people(out):
        pseudonymiser.remember(name)
    if participants is not None and len(participants):
        for name in participants[PCol.NAME]:
            pseudonymiser.remember(str(name))
    out[Col.AUTHOR] = out[Col.AUTHOR].map(pseudonymiser.name)
    out[Col.RECIPIENT] = out[Col.RECIPIENT].map(
        lambda n: pseudonymiser.name(n) if is_person(n) else n
    )
    if scrub:
        out[Col.RESPONDENT] = out[Col.RESPONDENT].map(scrub_text)
    raw = out[Col.TEXT].astype(str).tolist()
    for column in (Col.TEXT, Col.ANSWER, Col.QUESTION):
        values = out[column].astype(str)
        if scrub:
            values = values.map(scrub_text)
        out[column] = values.map(pseudonymiser.replace_in_text)
    if Col.KIND in out.columns and Col.ITEM_ID in out.columns and Col.REPLY_TO in out.columns:
        _safe_reactions(out, raw)
    return out


def merge_small_groups(counts: pd.Series, *, minimum: int = 3, other: str = "Other") -> pd.Series:
    """Merge groups smaller than ``minimum`` people into ``other``.

    Parameters
    ----------
    counts : pandas.Series
        Group name to number of people.
    minimum : int
        Smallest group shown by name.
    other : str
        Name of the merged group (a group already called so is merged into it).

    Returns
    -------
    pandas.Series
        Large groups by descending size (ties by name), then ``other`` (if any
        were merged). When the merged "Other" group itself holds fewer than
        ``minimum`` people it is still shown: it names nobody.

    Examples
    --------
    >>> import pandas as pd
    >>> merge_small_groups(pd.Series({"A": 5, "B": 2, "C": 1, "D": 3})).to_dict()
    {'A': 5, 'D': 3, 'Other': 3}
    """
    import pandas as pd

    counts = counts[counts > 0]
    named = counts.drop(index=other, errors="ignore")
    big = named[named >= minimum]
    order = sorted(big.index, key=lambda k: (-big[k], str(k)))
    big = big.loc[order]
    rest = int(named[named < minimum].sum()) + int(counts.get(other, 0))
    if rest:
        big = pd.concat([big, pd.Series({other: rest})])
    return big.astype("int64")


def safe_quote(text: str, pseudonymiser: Pseudonymiser) -> str:
    """A comment ready to quote: personal details scrubbed and names replaced."""
    return pseudonymiser.replace_in_text(scrub_text(text))


def private_count(items: pd.DataFrame) -> int:
    """Number of private messages (counted, never shown)."""
    return int(items[Col.IS_PRIVATE].astype(bool).sum())


def drop_private(items: pd.DataFrame) -> pd.DataFrame:
    """Items without private messages.

    Messages to a webinar's panel (recipient
    :data:`~feedback.schema.RECIPIENT_PANELISTS`) are not private and stay, unless
    they were loaded with ``panelist_messages="exclude"``.
    """
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
    People are numbered as :func:`learn_people` does (public items, then
    participants, then people seen only in private messages, whose names are
    still replaced inside text).

    Returns
    -------
    (items, participants, private messages removed)
    """
    dropped = private_count(items)
    public = drop_private(items)
    learn_people(pseudonymiser, items, participants)
    safe_items = pseudonymise_items(public, pseudonymiser, participants=participants)
    safe_participants = participants.copy()
    if len(safe_participants):
        safe_participants[PCol.NAME] = safe_participants[PCol.NAME].map(pseudonymiser.name)
        safe_participants[PCol.EMAIL] = ""
    return safe_items, safe_participants, dropped
