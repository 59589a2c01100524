"""Privacy: pseudonymising names, scrubbing personal details from text, merging small groups.

Used for every output meant to be shared. Private messages are never passed to
these functions by the report: they are dropped before (see
:func:`feedback.analysis.shareable`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from feedback.exceptions import FeedbackError
from feedback.names import (
    clean_name,
    could_be,
    fold,
    is_contact_question,
    is_everyday_word,
    is_initial,
    name_from_email,
    name_key,
    name_parts,
    names_someone,
    ordered_name,
)
from feedback.schema import Col, Kind, PCol

if TYPE_CHECKING:
    import pandas as pd

NAME_MODES = ("pseudonym", "first", "full")

#: Placeholders that :func:`scrub_text` puts in place of personal details.
PLACEHOLDERS = (
    "[email]", "[url]", "[nhs number]", "[phone]", "[postcode]", "[token]", "[meeting code]",
    "[meeting link]",
)  # fmt: skip
#: Video-meeting services whose join links carry meeting ids, passcodes and user ids.
MEETING_SERVICES = (
    "zoom.us", "zoomgov.com", "teams.microsoft.com", "teams.live.com", "meet.google.com",
    "webex.com", "gotowebinar.com", "gotomeeting.com", "gotomeet.me", "goto.com",
    "bluejeans.com", "whereby.com", "meet.jit.si", "chime.aws",
)  # fmt: skip
_MEETING_HOST = "|".join(re.escape(h) for h in MEETING_SERVICES)
#: A join link written without ``http``/``www`` (``meet.google.com/abc-defg-hij``).
_MEETING_LINK_RE = re.compile(
    rf"(?<![\w.@/-])(?:[\w-]+\.)*(?:{_MEETING_HOST})(?::\d+)?[/?#][^\s<>\"']*", re.IGNORECASE
)
_MEETING_URL_RE = re.compile(
    rf"^(?:https?://)?(?:[\w-]+\.)*(?P<service>{_MEETING_HOST})(?::\d+)?(?P<rest>[/?#].*)?$",
    re.IGNORECASE,
)
#: A Google Meet code (``abc-defg-hij``), replaced where the text speaks of a meeting or code.
_MEET_CODE_RE = re.compile(r"(?<![\w-])[a-z]{3}-[a-z]{4}-[a-z]{3}(?![\w-])")
_MEET_CONTEXT_RE = re.compile(r"\b(?:meet|meeting|code|join|link|call)\b", re.IGNORECASE)
#: Passcodes written out ("Passcode: 8sT2k"); a meeting id alone lets nobody in and stays.
_MEETING_SECRET_RE = re.compile(
    r"(?P<label>\b(?:pass\s*code|passcode|password|pwd|pin|access\s+code|meeting\s+code|"
    r"attendee\s+id|participant\s+id)\b)"
    r"(?P<sep>\s*(?:[:=#]|is)\s*)"
    r"(?P<value>\d{3,4}(?:[ -]?\d{3,4}){1,3}\b|(?=[\w-]*\d)[\w-]{4,})",
    re.IGNORECASE,
)
#: A query value that looks like a token: long, or letters mixed with digits.
_QUERY_VALUE_RE = re.compile(r"(?P<head>[?&;#][^=&#\s]+=)(?P<value>[^&#\s]+)")

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
    Join links of video meetings (Zoom, Teams, Google Meet, Webex, GoToWebinar...)
    keep only their service (``[meeting link] (zoom.us)``); Meet codes become
    ``[meeting code]``, passcodes and token-like query values ``[token]``.
    Other links are kept, and so are numbers that are not phone numbers or
    valid NHS numbers.

    Examples
    --------
    >>> scrub_text("ring me on 07700 900123 or mail a.b@example.org")
    'ring me on [phone] or mail [email]'
    >>> scrub_text("join (https://zoom.us/j/85261304471?pwd=abc1)")
    'join ([meeting link] (zoom.us))'
    """
    if not text:
        return text

    def url(match: re.Match) -> str:
        value = match.group(0)
        core = value.rstrip(_URL_TRAILING)
        meeting = _MEETING_URL_RE.match(core)
        if meeting and meeting["rest"] and meeting["rest"].strip("/"):
            return f"[meeting link] ({meeting['service'].lower()})" + value[len(core) :]
        if _TOKEN_PARAMS.search(core) or EMAIL_RE.search(core) or _PROFILE_RE.match(core):
            return "[url]" + value[len(core) :]
        return _QUERY_VALUE_RE.sub(_query_token, core) + value[len(core) :]

    text = URL_RE.sub(url, text)
    text = _MEETING_LINK_RE.sub(url, text)
    text = _TOKEN_LINK_RE.sub(url, text)
    text = _PROFILE_LINK_RE.sub(url, text)
    text = EMAIL_RE.sub("[email]", text)
    text = OBFUSCATED_EMAIL_RE.sub("[email]", text)

    def nhs(match: re.Match) -> str:
        digits = "".join(match.groups())
        return "[nhs number]" if nhs_number_valid(digits) else match.group(0)

    text = _MEETING_SECRET_RE.sub(lambda m: f"{m['label']}{m['sep']}[token]", text)
    if _MEET_CONTEXT_RE.search(text):
        text = _MEET_CODE_RE.sub(_meet_code, text)
    text = NHS_CANDIDATE_RE.sub(nhs, text)
    text = PHONE_RE.sub(_phone, text)
    return POSTCODE_RE.sub("[postcode]", text)


def _meet_code(match: re.Match) -> str:
    """``[meeting code]`` for a Meet code; words joined by hyphens ("one-time-use") stay."""
    parts = match.group(0).split("-")
    if all(is_everyday_word(p) for p in parts):
        return match.group(0)
    return "[meeting code]"


def _query_token(match: re.Match) -> str:
    """A query value replaced by ``[token]`` when it looks like one (``?ref=a8F3kd92``)."""
    value = match["value"]
    letters = sum(c.isalpha() for c in value)
    digits = sum(c.isdigit() for c in value)
    if value == "[token]" or len(value) < 6:
        return match.group(0)
    if len(value) >= 16 or (letters and digits and len(value) >= 8) or digits >= 6:
        return match["head"] + "[token]"
    return match.group(0)


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
        compared without case, accents, titles or pronouns.
    prefix : str
        Word used in pseudonyms.

    Notes
    -----
    Names are matched without case, accents, titles ("Dr") or bracketed notes
    ("(she/her)"), so "Dr Amara Okafor" and "amara okafor" are one person; a
    display name that abbreviates a known one ("Amara O", "Dr Okafor", "Amara")
    is the same person when it fits exactly one known name.

    Inside text (:meth:`replace_in_text`), full names, first names and surnames
    are replaced as whole words in any case and with or without accents
    ("thanks caroline", "Jose" for José), longest first; kept names are left
    whole. A name that is also an everyday word ("Will", "Rose", "Ward") or has
    fewer than 3 letters is replaced only where it names someone: an
    ``@mention``, capitalised mid-sentence, after a greeting or thanks, or
    followed by "said", "'s" and the like (see :func:`feedback.names.names_someone`).

    Examples
    --------
    >>> p = Pseudonymiser("pseudonym")
    >>> p.name("Caroline Jones"), p.name("Sam Okoye"), p.name("Caroline Jones")
    ('Participant 1', 'Participant 2', 'Participant 1')
    >>> p.name("Dr Okoye (he/him)")
    'Participant 2'
    """

    mode: str = "pseudonym"
    keep: Iterable[str] = ()
    prefix: str = "Participant"
    mapping: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.mode not in NAME_MODES:
            raise FeedbackError(f"--names {self.mode!r}: expected one of {', '.join(NAME_MODES)}")
        self.keep = {name_key(k) for k in self.keep if k and k.strip()}
        self._pattern: re.Pattern | None = None
        self._replacements: dict[str, str] = {}
        self._risky: set[str] = set()
        self._original_names: dict[str, str] = {}
        #: name key -> the key of the person it names (abbreviations resolved).
        self._person: dict[str, str] = {}
        self._respondents: dict[tuple, str] = {}
        self._by_word: dict[str, set[str]] = {}
        for kept in self.keep:
            self._index(kept)
        for known in self.mapping:
            self._index(known)
        pseudonym = re.compile(rf"{re.escape(self.prefix)} \d+")
        self._issued = sum(1 for v in self.mapping.values() if pseudonym.fullmatch(v))

    def _index(self, key: str) -> None:
        """File a multi-word name key under its first and last words (for :meth:`_resolve`)."""
        words = key.split()
        if len(words) >= 2:
            self._by_word.setdefault(words[0], set()).add(key)
            self._by_word.setdefault(words[-1], set()).add(key)

    def _resolve(self, key: str) -> str | None:
        """The known person that the new name key ``key`` abbreviates or spells out.

        Looked up by first and last words, so thousands of names stay fast.
        """

        def known(k: str) -> bool:
            return k in self.mapping or k in self.keep

        words = key.split()
        candidates = self._by_word.get(words[0], set()) | self._by_word.get(words[-1], set())
        shorter = {self._person.get(k, k) for k in candidates if could_be(key, k)}
        if len(shorter) == 1:
            return shorter.pop()
        if shorter:
            return None
        if len(words) < 2:
            return None
        first, last = words[0], words[-1]
        abbreviations = [first, last, f"{first} {last[0]}", f"{first} {last[0]}."]
        longer = {self._person.get(k, k) for k in abbreviations if known(k) and could_be(k, key)}
        if len(longer) == 1:
            return longer.pop()
        return None

    def person(self, name: str) -> str:
        """A key naming the person behind a display name, in every mode.

        Display names of one person ("Amara Nwosu", "Dr Amara Nwosu (she/her)",
        "Amara N") give one key, so people can be counted once.

        Examples
        --------
        >>> p = Pseudonymiser("full")
        >>> len({p.person(n) for n in ["Amara Nwosu", "Dr Amara Nwosu (she/her)", "Amara N"]})
        1
        """
        name = (name or "").strip()
        if not name:
            return ""
        self.name(name)
        key = name_key(name)
        return self._person.get(key, key)

    def name(self, name: str) -> str:
        """The shareable form of ``name`` (empty stays empty)."""
        name = (name or "").strip()
        if not name:
            return ""
        key = name_key(name)
        if key in self.mapping:
            return self.mapping[key]
        if key in self.keep:
            shown = name
        elif has_personal_details(name):
            # a dial-in number or an email shown as a name; "jo.bloggs@..." is Jo Bloggs
            spelled = name_key(name_from_email(name)) if EMAIL_RE.fullmatch(name) else ""
            if spelled and spelled in self.mapping:
                shown = self.mapping[spelled]
            else:
                self._issued += 1
                shown = f"{self.prefix} {self._issued}"
                if spelled:
                    self.mapping[spelled] = shown
                    self._person[spelled] = key
        else:
            same = self._resolve(key)
            if same is not None:
                self._person[key] = same
                # a known person, or a kept one (shown as written)
                shown = self.mapping.get(same, name)
            elif self.mode == "pseudonym":
                self._issued += 1
                shown = f"{self.prefix} {self._issued}"
            elif self.mode == "full":
                shown = name
            else:
                shown = _first_name(name)
        self.mapping[key] = shown
        self._index(key)
        self._pattern = None
        return shown

    def respondent(self, key: tuple) -> str:
        """An identifier of a survey respondent, independent of any name or pseudonym.

        Respondents are numbered in the order they are first asked for
        ("Respondent 1", "Respondent 2"...), across every survey of the run.
        """
        if key not in self._respondents:
            self._respondents[key] = f"Respondent {len(self._respondents) + 1}"
        return self._respondents[key]

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
        still recognises them afterwards. The text is returned in Unicode NFC form.
        """
        if not text or self.mode == "full":
            return text
        if self._pattern is None:
            self._build()
        if self._pattern is None:
            return text
        text = unicodedata.normalize("NFC", text)
        folded = fold(text)
        protected = None
        pieces, last = [], 0
        for match in self._pattern.finditer(folded):
            start, end = match.span()
            found = match.group(0)
            mention = found.startswith("@")
            word = found[1:] if mention else found
            shown = self._replacements.get(word)
            if shown is None:
                continue
            if word in self._risky and not mention and not names_someone(text, start, end):
                continue
            if protected is None:
                protected = [m.span() for m in _PROTECTED_RE.finditer(text)]
            if any(a <= start < b for a, b in protected):
                continue
            if shown == _KEEP:
                continue
            pieces.append(text[last:start])
            pieces.append(("@" if mention else "") + shown)
            last = end
        if not pieces:
            return text
        pieces.append(text[last:])
        return "".join(pieces)

    def _build(self) -> None:
        full: dict[str, str] = {}
        single: dict[str, str] = {}
        for real, shown in self._original_names.items():
            spellings = {fold(real), fold(clean_name(real)), fold(ordered_name(real))}
            spellings = {" ".join(s.split()) for s in spellings} - {""}
            if name_key(real) in self.keep or real == shown:
                for spelling in spellings:
                    full[spelling] = _KEEP
                continue
            for spelling in spellings:
                full.setdefault(spelling, shown)
            parts = name_parts(real)
            if len(parts) >= 2:
                for part in (parts[0], parts[-1]):
                    if not is_initial(part):
                        single.setdefault(fold(part), shown)
            elif len(parts) == 1 and len(ordered_name(real).split()) == 1:
                # a one-word display name ("Deepak") is still a name
                single.setdefault(fold(parts[0]), shown)
        # A full name is always replaced; a first or last name alone too, unless it is an
        # everyday word or very short: then only where it names someone.
        self._replacements = dict(full)
        self._risky = set()
        for word, shown in single.items():
            if word in full and full[word] == _KEEP:
                continue
            self._replacements.setdefault(word, shown)
            if is_everyday_word(word) and " " not in word:
                self._risky.add(word)
        if not self._replacements:
            self._pattern = None
            return
        names = _literal_pattern(self._replacements)
        self._pattern = re.compile(rf"(?<![\w@])@?(?:{names})(?!\w)")


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


def _first_name(name: str) -> str:
    parts = _name_parts(name)
    if parts:
        return parts[0]
    cleaned = ordered_name(name)
    return cleaned.split()[0] if cleaned.split() else name


_name_key = name_key
_name_parts = name_parts
_ordered_name = ordered_name
_clean_name = clean_name


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


def contact_answers(items: pd.DataFrame) -> pd.Series:
    """Mask of survey answers to questions asking for a name, email or phone number.

    These answers are never written to a shared output; their names join the
    names replaced in text (:func:`learn_people`).
    """
    import pandas as pd

    if not len(items):
        return pd.Series(False, index=items.index, dtype=bool)
    answers = items[Col.KIND] == Kind.ANSWER
    questions = items[Col.QUESTION].astype(str)
    asks = {q: is_contact_question(q) for q in questions[answers].unique()}
    return answers & questions.map(lambda q: asks.get(q, False)).astype(bool)


def _given_names(items: pd.DataFrame, participants: pd.DataFrame | None) -> list[str]:
    """Names that people gave in name/email answers and email columns (not display names)."""
    names: list[str] = []
    if len(items):
        for text in items.loc[contact_answers(items), Col.TEXT].astype(str):
            value = text.strip()
            if not value:
                continue
            if EMAIL_RE.fullmatch(value):
                derived = name_from_email(value)
                if derived:
                    names.append(derived)
            elif not has_personal_details(value) and len(value.split()) <= 6:
                names.append(value)
    if participants is not None and len(participants):
        for name, email in zip(participants[PCol.NAME], participants[PCol.EMAIL], strict=True):
            name = str(name or "").strip()
            if not name or EMAIL_RE.fullmatch(name):
                derived = name_from_email(name or str(email or "").strip())
                if derived:
                    names.append(derived)
    return names


def learn_people(
    pseudonymiser: Pseudonymiser,
    items: pd.DataFrame,
    participants: pd.DataFrame | None = None,
) -> None:
    """Number the people of a webinar before anything is pseudonymised.

    Authors and person recipients of public items come first, in order of
    appearance, then the participants table, then names given in survey
    name/email answers (and participants known only by email), then people seen
    only in private messages. Everyone is remembered, so their names are
    replaced inside text even when they never wrote in public, and numbering
    says nothing about who wrote privately. Names already numbered keep their
    pseudonyms.
    """
    private = items[Col.IS_PRIVATE].astype(bool)
    for name in _people(items[~private]):
        pseudonymiser.remember(name)
    if participants is not None and len(participants):
        for name in participants[PCol.NAME]:
            pseudonymiser.remember(str(name))
    for name in _given_names(items, participants):
        pseudonymiser.remember(name)
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

    Survey answers cannot be linked to the chat: they lose their author, their
    respondent gets an independent identifier ("Respondent 3", numbered in the
    order of the survey), and answers to questions asking for a name, email or
    phone number are left out (the names they give are still replaced in text).
    Returns a copy.
    """
    out = items.copy()
    for name in _people(out):
        pseudonymiser.remember(name)
    if participants is not None and len(participants):
        for name in participants[PCol.NAME]:
            pseudonymiser.remember(str(name))
    for name in _given_names(out, participants):
        pseudonymiser.remember(name)
    if len(out):
        out = out[~contact_answers(out)].reset_index(drop=True)
    answers = (out[Col.KIND] == Kind.ANSWER).tolist()
    respondents = out[Col.RESPONDENT].astype(str).tolist()
    if any(answers):
        keys = zip(out[Col.WEBINAR].astype(str), out[Col.SOURCE].astype(str), respondents,
                   out[Col.LINE].astype(str), strict=True)  # fmt: skip
        respondents = [
            pseudonymiser.respondent((webinar, source, respondent or f"line {line}"))
            if answer
            else (scrub_text(respondent) if scrub else respondent)
            for answer, (webinar, source, respondent, line) in zip(answers, keys, strict=True)
        ]
    elif scrub:
        respondents = [scrub_text(r) for r in respondents]
    out[Col.RESPONDENT] = respondents
    out[Col.AUTHOR] = [
        "" if answer else pseudonymiser.name(author)
        for answer, author in zip(answers, out[Col.AUTHOR], strict=True)
    ]
    out[Col.RECIPIENT] = out[Col.RECIPIENT].map(
        lambda n: pseudonymiser.name(n) if is_person(n) else n
    )
    raw = out[Col.TEXT].astype(str).tolist()
    for column in (Col.TEXT, Col.ANSWER, Col.QUESTION):
        values = out[column].astype(str)
        if scrub:
            values = values.map(scrub_text)
        out[column] = values.map(pseudonymiser.replace_in_text)
    if Col.KIND in out.columns and Col.ITEM_ID in out.columns and Col.REPLY_TO in out.columns:
        _safe_reactions(out, raw)
    return out


def count_people(names: Iterable[str]) -> int:
    """Number of people behind display names: a renamed or abbreviated name counts once.

    Examples
    --------
    >>> count_people(["Amara N", "Dr Amara Nwosu (she/her)", "Sam Okoye", "", "sam okoye"])
    2
    """
    pseudonymiser = Pseudonymiser("full")
    return len({pseudonymiser.person(n) for n in names if isinstance(n, str) and n.strip()})


def privacy_note(names: str, min_group: int) -> str:
    """The method note's account of what was done to keep people unidentifiable.

    Examples
    --------
    >>> privacy_note("pseudonym", 3).split(";")[0]
    "People's names are replaced by pseudonyms"
    """
    shown = {
        "pseudonym": "replaced by pseudonyms",
        "first": "shortened to first names",
        "full": "shown in full",
    }[names]
    return (
        f"People's names are {shown}; email addresses, phone numbers, NHS numbers, postcodes and "
        "personal links are replaced by placeholders, and video-meeting join links keep only "
        "the service's name. Names are found in any case and with or without accents; a name "
        "that is also an everyday word (Will, Rose, Hope, Mark, Grace, Ward...) is replaced "
        "only where it names someone (after a greeting or thanks, as an @mention, or "
        "capitalised mid-sentence), so a capitalised word opening a sentence may be left. "
        "Survey answers are shown without names and cannot be linked to chat messages; "
        "answers giving a name or an email address are left out. Organisations and countries "
        f"with fewer than {min_group} people are merged into 'Other'."
    )


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


#: Survey questions whose answers place a person in a group (organisation, country, role).
_GROUP_QUESTION_RE = re.compile(
    r"\b(?:organi[sz]ation|organi[sz]ations|employer|trust|company|workplace|institution|"
    r"hospital|practice|department|team|country|region|county|city|town|location|"
    r"job\s+title|role|profession|occupation|position|speciality|specialty|sector)\b",
    re.IGNORECASE,
)


def _merge_small_values(
    values: pd.Series, people: pd.Series, *, minimum: int, other: str = "Other"
) -> pd.Series:
    """Values held by fewer than ``minimum`` distinct people become ``other`` (blanks stay)."""
    text = values.fillna("").astype(str)
    shown = text.str.strip()
    filled = shown.ne("") & ~shown.isin(["--", "-"])
    if minimum <= 1 or not filled.any():
        return text
    counts = people[filled].groupby(shown[filled]).nunique()
    small = set(counts[counts < minimum].index)
    return text.where(~shown.isin(small), other)


def anonymise_tables(
    items: pd.DataFrame,
    participants: pd.DataFrame,
    pseudonymiser: Pseudonymiser,
    *,
    min_group: int = 3,
) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Shareable copies of the items and participants tables.

    Private messages are removed, names are replaced (in columns and inside text),
    free text is scrubbed, and participants lose their email addresses.
    People are numbered as :func:`learn_people` does (public items, then
    participants, then people seen only in private messages, whose names are
    still replaced inside text). Survey answers are not linkable to the chat
    (see :func:`pseudonymise_items`).

    Small groups: an organisation or country of the participants table held by
    fewer than ``min_group`` people becomes "Other", and so does an answer to a
    survey question about organisation, country, role or the like given by fewer
    than ``min_group`` respondents.

    Returns
    -------
    (items, participants, private messages removed)
    """
    import pandas as pd

    dropped = private_count(items)
    public = drop_private(items)
    learn_people(pseudonymiser, items, participants)
    safe_items = pseudonymise_items(public, pseudonymiser, participants=participants)
    if len(safe_items):
        answers = safe_items[Col.KIND] == Kind.ANSWER
        questions = safe_items.loc[answers, Col.QUESTION].astype(str).unique()
        for question in questions:
            if not _GROUP_QUESTION_RE.search(question):
                continue
            rows = answers & (safe_items[Col.QUESTION] == question)
            safe_items.loc[rows, Col.TEXT] = _merge_small_values(
                safe_items.loc[rows, Col.TEXT], safe_items.loc[rows, Col.RESPONDENT],
                minimum=min_group,
            )  # fmt: skip
    safe_participants = participants.copy()
    if len(safe_participants):
        names = safe_participants[PCol.NAME].astype(str)
        row_ids = pd.Series(safe_participants.index.astype(str), index=names.index)
        people = names.map(pseudonymiser.person).where(names.str.strip() != "", row_ids)
        safe_participants[PCol.NAME] = safe_participants[PCol.NAME].map(pseudonymiser.name)
        safe_participants[PCol.EMAIL] = ""
        for column in (PCol.ORGANISATION, PCol.COUNTRY):
            safe_participants[column] = _merge_small_values(
                safe_participants[column], people, minimum=min_group
            )
    return safe_items, safe_participants, dropped
