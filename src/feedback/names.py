"""Names as people write them: accents, case, titles, pronouns, initials.

Helpers for :mod:`feedback.privacy`:

* :func:`fold` compares text without case or accents, one character for one
  character, so positions found in the folded text are positions in the text;
* :func:`name_key` is the form of a display name that identifies a person
  ("Dr Amara Nwosu (she/her)" and "amara nwosu" give the same key);
* :func:`is_everyday_word` tells names that are also ordinary words ("Will",
  "Rose", "Ward"), which are replaced in text only where they clearly name someone
  (see :func:`names_someone`);
* :func:`is_contact_question` recognises survey questions that ask for a name or
  an email address.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Letters that have no decomposition but have a plain-letter form.
_PLAIN = {"ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "ı": "i",
          "ħ": "h", "ŧ": "t", "ŀ": "l", "ſ": "s", "’": "'", "‘": "'"}  # fmt: skip


class _FoldTable(dict):
    """``str.translate`` table mapping each character to one folded character (cached)."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = _PLAIN.get(char)
        if folded is None:
            base = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            ).lower()
            if len(base) == 1:
                folded = base
            else:
                lower = char.lower()
                folded = lower if len(lower) == 1 else char
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Lower case without accents, keeping one character for each character of ``text``.

    Examples
    --------
    >>> fold("José Siobhán ØSTBY")
    'jose siobhan ostby'
    >>> len(fold("Straße")) == len("Straße")
    True
    """
    return text.translate(_FOLD)


#: Titles written before a name.
TITLES = (
    "dr", "doctor", "prof", "professor", "mr", "mrs", "ms", "miss", "mx", "sir", "dame",
    "lord", "lady", "cllr", "councillor", "rev", "revd", "reverend", "fr", "sr", "nurse",
    "matron", "dr.", "herr", "frau", "mme", "mlle", "dott", "dra", "sra", "sres",
)  # fmt: skip
_TITLE_RE = re.compile(
    r"^(?:(?:" + "|".join(re.escape(t.rstrip(".")) for t in TITLES) + r")\.?\s+)+", re.IGNORECASE
)
#: Letters after a name that are not part of it ("Caroline Jones, RN").
_SUFFIX_TEXT = "jr sr ii iii iv phd md rn rgn rmn mbe obe cbe frcp frcs mrcp frcn msc bsc ba ma "
SUFFIXES = frozenset((_SUFFIX_TEXT + "mba dphil mph esq").split())
#: Pronouns and notes written in or after display names.
_NOTE_RE = re.compile(r"\([^)]*\)|\[[^\]]*\]|\{[^}]*\}")
_PRONOUNS_RE = re.compile(
    r"\b(?:she|he|they|ze|xe|her|him|them|hers|his|theirs)\s*/\s*"
    r"(?:she|he|they|ze|xe|her|him|them|hers|his|theirs)(?:\s*/\s*\w+)?\b",
    re.IGNORECASE,
)


def clean_name(name: str) -> str:
    """A display name without bracketed notes, pronouns, titles or separators.

    Examples
    --------
    >>> clean_name("Dr Amara Nwosu (she/her)")
    'Amara Nwosu'
    >>> clean_name("Prof. Sam Okoye | NHS England")
    'Sam Okoye NHS England'
    """
    name = _NOTE_RE.sub(" ", name)
    name = _PRONOUNS_RE.sub(" ", name)
    name = " ".join(name.replace("|", " ").split())
    return _TITLE_RE.sub("", name)


def _is_suffix(word: str) -> bool:
    return word.strip(".,").lower() in SUFFIXES


def ordered_name(name: str) -> str:
    """The cleaned name, given name first ("Okafor, Chidi" -> "Chidi Okafor").

    Examples
    --------
    >>> ordered_name("Okafor, Chidi"), ordered_name("Carys Morgan, RN")
    ('Chidi Okafor', 'Carys Morgan')
    """
    cleaned = clean_name(name)
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


def name_parts(name: str) -> list[str]:
    """The words of a name that are name words (no digits, emails or phone numbers).

    Examples
    --------
    >>> name_parts("Dr Amara Nwosu (she/her)")
    ['Amara', 'Nwosu']
    """
    words = [w.strip(".,;:!?\"'") for w in ordered_name(name).split()]
    return [
        w for w in words if w and any(ch.isalpha() for ch in w) and not re.search(r"[\d@+/]", w)
    ]


def name_key(name: str) -> str:
    """The form of a display name that identifies a person: no case, accents, titles or notes.

    Examples
    --------
    >>> name_key("Dr José Ruiz (he/him)") == name_key("jose ruiz")
    True
    """
    return " ".join(fold(ordered_name(name) or name).split())


def is_initial(word: str) -> bool:
    """Whether ``word`` is an initial ("N", "N.").

    Examples
    --------
    >>> is_initial("N."), is_initial("Nw")
    (True, False)
    """
    return len(word.rstrip(".")) == 1 and word[:1].isalpha()


def could_be(short: str, full: str) -> bool:
    """Whether the name key ``short`` may be an abbreviation of the name key ``full``.

    "amara n" and "amara" and "nwosu" may all be "amara nwosu"; "amara o" may not.

    Examples
    --------
    >>> could_be("amara n", "amara nwosu"), could_be("nwosu", "amara nwosu")
    (True, True)
    >>> could_be("amara o", "amara nwosu"), could_be("amara nwosu", "amara nwosu")
    (False, False)
    """
    small, big = short.split(), full.split()
    if len(big) < 2 or small == big or not small:
        return False
    if len(small) == 1:
        word = small[0]
        return not is_initial(word) and (word == big[-1] or word == big[0])
    if small[0] != big[0]:
        return False
    last = small[-1]
    if is_initial(last):
        return len(small) == 2 and big[-1].startswith(last.rstrip("."))
    return False


# -- names that are also everyday words ---------------------------------------------------------
#: First names and surnames that are also ordinary English words (and month names).
_EVERYDAY_NAMES = """
will may mark grace hope joy faith bill rose june april august sunny rich frank pat sue ray
dawn summer max art guy jack chase rob matt don sky page amber ruby jade holly ivy lily daisy
violet crystal autumn carol eve heather iris pearl hazel olive rowan robin sandy dusty misty
melody harmony honey storm river sage willow hunter drew gene nick peg penny rusty sonny gale
mercy patience prudence charity destiny noble earl duke king prince baron major sterling cash
chip bud buck dean gay cliff dale glen heath lane wade miles lance pierce grant carter mason
porter walker ward young hall wood green brown white black gray grey hill baker cook bell
stone marsh north south west east long church field rose fox hunt wells fisher turner cooper
parker price bishop knight cross bird swan lamb fry brook rivers banks ford bush pool reed
head little short sharp strong power love friend good best gold silver money penny day night
march winter spring frost snow rain wind bond mills street waters fields woods hills bolt
rice moss ash oak wolf bear crane finch drake hawk wren swift salt bean pepper lord lady
young read reading english french welsh free hay gill hart ling wing tang van den
del von bay beach fair may mays hale hardy moody noble savage sale cole coles nurse doctor
angel star faith grace justice rain chance hero marvel brave wise jan feb mar apr jun
jul aug sep sept oct nov dec mon tue wed thu fri sat sun
""".split()  # noqa: SIM905


@lru_cache(maxsize=1)
def everyday_words() -> frozenset[str]:
    """Ordinary words: the list above and the lower-case words of the bundled labelled comments.

    A name that is one of these ("Will", "Ward", "Hope") is replaced in text only
    where it names someone (see :func:`names_someone`).
    """
    import csv
    import io
    from importlib.resources import files

    words = set(_EVERYDAY_NAMES)
    folder = files("feedback.assets").joinpath("labelled")
    try:
        entries = list(folder.iterdir())
    except (FileNotFoundError, NotADirectoryError, OSError):
        entries = []
    pattern = re.compile(r"(?<![\w'’@])[a-z]{2,}(?![\w'’])")
    for entry in entries:
        if not entry.name.endswith(".csv"):
            continue
        reader = csv.DictReader(io.StringIO(entry.read_text(encoding="utf-8")))
        for row in reader:
            words.update(pattern.findall(row.get("text") or ""))
    return frozenset(words)


def is_everyday_word(word: str) -> bool:
    """Whether a name word is also an ordinary word, or too short to replace on sight.

    Examples
    --------
    >>> is_everyday_word("Will"), is_everyday_word("Siobhán"), is_everyday_word("Jo")
    (True, False, True)
    """
    folded = fold(word)
    return len(folded) < 3 or folded in everyday_words()


#: Words after which a name addresses or thanks someone ("thanks will", "hi Rose").
_ADDRESS_BEFORE_RE = re.compile(
    r"(?:^|[^\w])(?:hi|hello|hey|hiya|dear|thanks|thank\s+you|thankyou|thx|ta|cheers|"
    r"welcome|morning|afternoon|evening|congrats|congratulations|agree\s+with|agreed\s+with|"
    r"well\s+said|well\s+done|great\s+point|good\s+point|cc|ask|asked|per|sorry|bye)"
    r"[\s,]+$",
    re.IGNORECASE,
)
#: Words after a name that show it is a person ("Ward said", "Hope's point").
_PERSON_AFTER_RE = re.compile(
    r"^(?:'s\b|’s\b|\s+(?:said|says|asked|asks|mentioned|mentions|noted|notes|suggested|"
    r"suggests|explained|explains|described|describes|shared|shares|wrote|writes|agreed|"
    r"agrees|raised|raises|presented|presents|spoke|speaks|made\s+a|makes\s+a)\b)",
    re.IGNORECASE,
)
_SENTENCE_END = ".!?\n:;"
#: Words before an everyday word that show it is a thing ("the ward said").
_DETERMINER_RE = re.compile(
    r"(?:^|[^\w])(?:the|a|an|our|my|your|their|his|her|its|this|that|each|every|no|one)\s+$",
    re.IGNORECASE,
)


def names_someone(text: str, start: int, end: int) -> bool:
    """Whether the everyday-word name at ``text[start:end]`` names someone.

    True for an ``@mention``, a name capitalised mid-sentence ("I agree with
    Will"), a name after a greeting or thanks in any case ("thanks will"), a name
    that opens a message and is followed by a comma or colon ("Rose, ..."), and a
    name followed by "said", "asked", "'s" and the like.

    Examples
    --------
    >>> text = "Will this be recorded? I agree with Will. thanks rose"
    >>> [names_someone(text, *span) for span in [(0, 4), (36, 40), (49, 53)]]
    [False, True, True]
    """
    word = text[start:end]
    before = text[:start]
    if before.endswith("@"):
        return True
    if _ADDRESS_BEFORE_RE.search(before[-40:]):
        return True
    if _PERSON_AFTER_RE.match(text[end : end + 20]) and not _DETERMINER_RE.search(before[-12:]):
        return True
    capitalised = word[:1].isupper() and not (len(word) > 1 and word.isupper())
    if not capitalised:
        return False
    stripped = before.rstrip(" \t\"'“‘(-–—*•")
    at_start = not stripped or stripped[-1] in _SENTENCE_END
    if not at_start:
        return True
    after = text[end : end + 2]
    return after[:1] in (",", ":") or after.startswith((" -", " –"))


# -- survey questions that ask who someone is ---------------------------------------------
_CONTACT_QUESTION_RE = re.compile(
    r"^(?:please\s+)?(?:(?:enter|give|type|add|provide|leave|share)\s+)?(?:us\s+)?"
    r"(?:(?:what\s+is|what's)\s+)?(?:your\s+)?"
    r"(?:(?:full|first|last|given|family|preferred|sur|display)\s*)?"
    r"(?:name|e-?mail(?:\s+address)?|email|phone(?:\s+number)?|telephone(?:\s+number)?|"
    r"mobile(?:\s+number)?|contact(?:\s+details)?|surname|forename|nhs\s+number)"
    r"(?:\s*(?:and|&|/|or|,)\s*(?:your\s+)?(?:(?:full|first|last)\s*)?"
    r"(?:name|e-?mail(?:\s+address)?|email|phone(?:\s+number)?|surname|organi[sz]ation|role))*"
    r"(?:\s+(?:if\s+you\s+(?:wish|like|want|are\s+happy)|optional|if\s+happy\s+to\s+share)"
    r"[\w\s]*)?$"
)
_CONTACT_WORDS_RE = re.compile(
    r"\b(?:your\s+(?:full\s+|first\s+)?name|your\s+e-?mail|e-?mail\s+address|"
    r"name\s+and\s+e-?mail|contact\s+details|who\s+are\s+you|ihr\s+name|votre\s+nom|"
    r"tu\s+nombre|su\s+nombre)\b"
    r"|^(?:nombre|nom|vorname|nachname|correo(?:\s+electronico)?|courriel|e-mail-adresse|"
    r"naam|nome|imie|namn|navn)$"
)


def is_contact_question(question: str) -> bool:
    """Whether a survey question asks for the respondent's name, email or phone.

    Examples
    --------
    >>> is_contact_question("Your name (optional)"), is_contact_question("Email address")
    (True, True)
    >>> is_contact_question("Name one thing you will do differently")
    False
    """
    text = fold(_NOTE_RE.sub(" ", question or ""))
    text = " ".join(re.sub(r"[^\w\s&/@'-]", " ", text).split())
    if not text:
        return False
    return bool(_CONTACT_QUESTION_RE.match(text) or _CONTACT_WORDS_RE.search(text))


def name_from_email(email: str) -> str:
    """The name an address like ``first.last@...`` spells, or ``""``.

    Examples
    --------
    >>> name_from_email("siobhan.daly@example.org"), name_from_email("info@example.org")
    ('Siobhan Daly', '')
    """
    local = email.split("@", 1)[0] if "@" in email else ""
    parts = [p for p in re.split(r"[._-]+", local) if p]
    if len(parts) != 2 or not all(p.isalpha() and len(p) >= 2 for p in parts):
        return ""
    return " ".join(p.capitalize() for p in parts)
