"""The header grammar of a Zoom saved chat, learned from the file itself.

Every Zoom client writes the same header, in its own words and sometimes in
its own order::

    10:00:01 From Ann Lee to Everyone:          opener sender connector recipient
    10:00:01 De Ana Ruiz a Todos:
    10:00:01 来自 张伟 发送给 所有人:
    10:00:01 김민수 님이 모두에게:                 sender connector recipient
    10:00:01 Från Anna till Alla:               (a language in no table)

So the grammar is read off the file: the lines that start with a time are
collected; the *opener* is the word that starts most of them after the time
(known openers first); the *connector* is the known connector found in most
headers, else the inner word with the most different words before it (a word
of a name only ever follows the same first name); a *suffix* is a word most
headers end with after varied recipients. For a language in no table the
recipient written most often, by nobody who also sends, is learned as the word
for everyone, and a bracketed word after several recipients as the privacy
marker.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property, lru_cache

from feedback.loaders.zoom_chat.words import (
    LANGUAGES,
    fold,
    is_everyone,
    is_panelists,
    languages_of_opener,
    private_marker_re,
    word_sets,
)

#: A line that starts with a time (and maybe a date before, AM/PM after it).
TIMED_RE = re.compile(
    r"^\ufeff?(?:(?P<date>\d{4}-\d{2}-\d{2})[ T]+)?"
    r"(?P<time>\d{1,2}:\d{2}:\d{2})(?:[ ]?(?P<ampm>[AaPp][Mm]))?"
    r"(?P<sep>[ \t]+)(?P<rest>\S.*)$"
)
#: The end of the names in a one-line header: `` : `` (or a full-width colon).
ONELINE_COLON_RE = re.compile(r"(?:\s+:|\s*：)(?:\s|$)")
#: A cloud-recording chat line after its time: ``Name:<TAB>text``.
_CLOUD_REST_RE = re.compile(r"^[^\t]*?:(?:\t|$)")
#: A bracketed word at the end of a name.
_TRAILING_BRACKET_RE = re.compile(r"\s*[(（]\s*([^()（）]{1,40}?)\s*[)）]\s*$")

#: How many timed lines the grammar is learned from.
LEARN_LINES = 300
#: Share of timed lines an unknown opener must start.
_OPENER_SHARE = 0.6


@dataclass(frozen=True)
class Grammar:
    """How the headers of one saved chat are written.

    Attributes
    ----------
    opener : str or None
        The word before the sender (``"From"``); ``None`` when headers start
        with the sender.
    connector : str or None
        The word between sender and recipient (``"to"``).
    suffix : str or None
        A word written after the recipient (``"へ"``).
    always_recipient : bool
        One-line headers always name a recipient (German clients), so the
        last connector splits the names even before a person's name.
    everyone, markers : frozenset of str
        Words learned from the file (folded): the recipient meaning everyone and
        privacy markers, for languages in no table.
    language : str
        Code of the known language the words come from ("" when only inferred).
    """

    opener: str | None = "From"
    connector: str | None = "to"
    suffix: str | None = None
    always_recipient: bool = False
    everyone: frozenset[str] = frozenset()
    markers: frozenset[str] = frozenset()
    language: str = "en"

    @cached_property
    def opener_re(self) -> re.Pattern[str] | None:
        """Matches the opener and the blanks after it at the start of a header's rest."""
        if self.opener is None:
            return None
        words = r"\s+".join(map(re.escape, self.opener.split()))
        return re.compile(rf"{words}[ \t]+(?=\S)", re.IGNORECASE)

    @cached_property
    def connector_re(self) -> re.Pattern[str]:
        """The connector between blanks (never matches when there is none)."""
        if self.connector is None:
            return re.compile(r"(?!)")
        words = r"\s+".join(map(re.escape, self.connector.split()))
        return re.compile(rf"\s+{words}\s+", re.IGNORECASE)

    @cached_property
    def connector_word_re(self) -> re.Pattern[str]:
        """The connector as a word of a name (then names are split by the full rules)."""
        if self.connector is None:
            return re.compile(r"(?!)")
        words = r"\s+".join(map(re.escape, self.connector.split()))
        return re.compile(rf"(?:^|\s){words}(?:\s|$)", re.IGNORECASE)

    @cached_property
    def suffix_re(self) -> re.Pattern[str] | None:
        if self.suffix is None:
            return None
        return re.compile(rf"\s+{re.escape(self.suffix)}$", re.IGNORECASE)

    @cached_property
    def marker_re(self) -> re.Pattern[str]:
        """A privacy marker: known in any language, or learned from this file."""
        if not self.markers:
            return private_marker_re()
        learned = "|".join(re.escape(m) for m in sorted(self.markers, key=len, reverse=True))
        known = private_marker_re().pattern
        return re.compile(rf"{known}|\s*[(（]\s*(?:{learned})\s*[)）]", re.IGNORECASE)

    @property
    def is_english(self) -> bool:
        """True for the English grammar (the bulk pass has shortcuts for it)."""
        return (
            (self.opener or "").casefold() == "from"
            and (self.connector or "").casefold() == "to"
            and self.suffix is None
        )

    def after_opener(self, rest: str, sep: str) -> str | None:
        """The header's rest after the opener; ``None`` when it does not start a header."""
        pattern = self.opener_re
        if pattern is None:
            if sep == "\t" and _CLOUD_REST_RE.match(rest):
                return None  # a cloud-recording chat line
            return rest
        match = pattern.match(rest)
        return rest[match.end() :] if match is not None else None

    def strip_suffix(self, name: str) -> str:
        """A recipient without the suffix word (and known particles) after it.

        Known particles go also when written onto the name (``모두에게``,
        ``김민수 님에게``), as long as a name is left.
        """
        if self.suffix_re is not None:
            name = self.suffix_re.sub("", name)
        if self.language not in _SUFFIX_LANGUAGES:
            return name
        for particle in _known_suffixes():
            if name.endswith(particle) and name[: -len(particle)].strip():
                return name[: -len(particle)].rstrip()
        return name

    def is_everyone(self, name: str) -> bool:
        """True for a recipient meaning everyone (known word or learned from the file)."""
        return is_everyone(name) or fold(name) in self.everyone


#: Languages whose clients write a particle after the recipient.
_SUFFIX_LANGUAGES = frozenset(lang.code for lang in LANGUAGES if lang.suffixes) | {""}


@lru_cache(maxsize=1)
def _known_suffixes() -> tuple[str, ...]:
    """Known particles after a recipient, longest first."""
    return tuple(sorted(word_sets()["suffixes"], key=len, reverse=True))


#: The grammar of English files (and of files whose grammar cannot be told).
ENGLISH = Grammar()


def _head(remainder: str) -> str | None:
    """The names part of a header after its opener (before the colon), or ``None``."""
    stripped = remainder.rstrip()
    colon = ONELINE_COLON_RE.search(stripped)
    if colon is not None:
        return stripped[: colon.start()]
    if stripped.endswith((":", "：")) and len(stripped) > 1:
        return stripped[:-1].rstrip()
    return None


def _known_opener(rests: list[str]) -> tuple[str, int] | None:
    openers = sorted(word_sets()["openers"], key=len, reverse=True)
    counts: Counter[str] = Counter()
    for rest in rests:
        folded = fold(rest[:40])
        for opener in openers:
            if folded.startswith(opener + " "):
                counts[opener] += 1
                break
    if not counts:
        return None
    return counts.most_common(1)[0]


def _opener(rests: list[str]) -> tuple[str | None, bool]:
    """``(opener, known)``: the word that starts most headers (``None`` if no word does)."""
    known = _known_opener(rests)
    if known is not None and known[1] >= max(1, len(rests) / 2):
        # As the file writes it (the bulk pass looks for it as written).
        size = len(known[0].split())
        written = Counter(
            " ".join(rest.split()[:size])
            for rest in rests
            if fold(" ".join(rest.split()[:size])) == known[0]
        )
        return written.most_common(1)[0][0], True
    firsts = Counter(rest.split()[0] for rest in rests)
    token, count = firsts.most_common(1)[0]
    if count < 2 or count < _OPENER_SHARE * len(rests):
        return None, False
    if not any(ch.isalpha() for ch in token) or token.endswith((":", "：")):
        return None, False
    # A sender-first header whose second word is a known connector: the first is a name.
    seconds = [rest.split()[1] for rest in rests if len(rest.split()) > 2]
    connectors = word_sets()["connectors"]
    if seconds and sum(fold(w) in connectors for w in seconds) >= len(seconds) / 2:
        return None, False
    return token, False


def _split_at(head: str, pattern: re.Pattern[str]) -> tuple[str, str] | None:
    found = list(pattern.finditer(head))
    if not found:
        return None
    last = found[-1]
    return head[: last.start()], head[last.end() :]


def _connector(heads: list[str], candidates: list[str]) -> tuple[str | None, int]:
    """The candidate connector found in most heads, and in how many."""
    best, best_count = None, 0
    for word in sorted(candidates, key=len, reverse=True):
        pattern = Grammar(opener=None, connector=word).connector_re
        count = sum(1 for head in heads if pattern.search(head))
        if count > best_count:
            best, best_count = word, count
    return best, best_count


def _inferred_connector(heads: list[str]) -> str | None:
    """The inner word with the most different words before it, in enough heads."""
    seen_in: Counter[str] = Counter()
    lefts: dict[str, set[str]] = defaultdict(set)
    for head in heads:
        tokens = head.split()
        inner = set()
        for index in range(1, len(tokens) - 1):
            token = tokens[index]
            lefts[token].add(" ".join(tokens[:index]))
            inner.add(token)
        seen_in.update(inner)
    if not seen_in:
        return None
    token = max(seen_in, key=lambda t: (seen_in[t], len(lefts[t])))
    if seen_in[token] < max(2, 0.4 * len(heads)):
        return None
    if len(lefts[token]) < 2 and seen_in[token] < len(heads):
        return None
    return token


def _suffix(heads: list[str], connector: re.Pattern[str]) -> str | None:
    lasts: Counter[str] = Counter()
    before: dict[str, set[str]] = defaultdict(set)
    for head in heads:
        split = _split_at(head, connector)
        if split is None:
            continue
        tokens = split[1].split()
        if len(tokens) >= 2:
            lasts[tokens[-1]] += 1
            before[tokens[-1]].add(tokens[-2])
    if not lasts:
        return None
    token, count = lasts.most_common(1)[0]
    if fold(token) in word_sets()["suffixes"]:
        return token
    if count >= max(3, 0.6 * len(heads)) and len(before[token]) >= 2 and not is_everyone(token):
        return token
    return None


def infer_grammar(lines: list[str]) -> Grammar | None:
    """The header grammar of a saved chat from its first lines; ``None`` if it has none.

    Parameters
    ----------
    lines : list of str
        Lines of the file (the first :data:`LEARN_LINES` timed ones are used).

    Examples
    --------
    >>> grammar = infer_grammar(["10:00:01 De Ana a Todos:", "\\thola", "10:00:09 De Bo a Todos:"])
    >>> grammar.opener, grammar.connector, grammar.language
    ('De', 'a', 'es')
    """
    rests: list[tuple[str, str]] = []
    for line in lines:
        match = TIMED_RE.match(line.rstrip())
        if match is None:
            continue
        if match["sep"] == "\t" and _CLOUD_REST_RE.match(match["rest"]):
            continue
        rests.append((match["rest"], match["sep"]))
        if len(rests) >= LEARN_LINES:
            break
    if not rests:
        return None
    opener, known = _opener([rest for rest, _ in rests])
    probe = Grammar(opener=opener, connector=None)
    remainders = [probe.after_opener(rest, sep) for rest, sep in rests]
    heads_all = [(_head(r), r) for r in remainders if r is not None]
    heads = [head for head, _ in heads_all if head]
    if not heads:
        return None
    oneline = [head for head, r in heads_all if head and ONELINE_COLON_RE.search(r.rstrip())]
    languages = languages_of_opener(opener) if known and opener else ()
    if languages:
        candidates = [w for lang in languages for w in lang.connectors]
    else:
        candidates = sorted(word_sets()["connectors"])
    connector, count = _connector(heads, candidates)
    if not languages and count < max(1, 0.3 * len(heads)):
        connector = _inferred_connector(heads)
    if connector is None and languages:
        connector = languages[0].connectors[0]
    if opener is None:
        # Headers that start with the sender need the connector in most of them.
        if connector is None:
            return None
        pattern = Grammar(opener=None, connector=connector).connector_re
        if sum(1 for head in heads if pattern.search(head)) < max(1, 0.5 * len(rests)):
            return None
    grammar = Grammar(opener=opener, connector=connector)
    suffix = _suffix(heads, grammar.connector_re) if connector else None
    always = bool(oneline) and sum(
        1 for head in oneline if grammar.connector_re.search(head)
    ) >= 0.9 * len(oneline)
    language = ""
    if languages:
        matching = [lang for lang in languages if connector in lang.connectors]
        language = (matching or list(languages))[0].code
    elif opener is None and connector is not None:
        language = next((lang.code for lang in LANGUAGES if connector in lang.connectors), "")
    everyone: frozenset[str] = frozenset()
    markers: frozenset[str] = frozenset()
    if not language:
        everyone, markers = _learned_words(heads, Grammar(opener, connector, suffix))
    return Grammar(
        opener=opener,
        connector=connector,
        suffix=suffix,
        always_recipient=always,
        everyone=everyone,
        markers=markers,
        language=language,
    )


def _learned_words(heads: list[str], grammar: Grammar) -> tuple[frozenset[str], frozenset[str]]:
    """The word for everyone and privacy markers of a language in no table."""
    senders: set[str] = set()
    recipients: Counter[str] = Counter()
    marked: dict[str, set[str]] = defaultdict(set)
    known_marker = private_marker_re()
    for head in heads:
        split = _split_at(head, grammar.connector_re)
        if split is None:
            senders.add(fold(head))
            continue
        sender, recipient = split
        senders.add(fold(sender))
        bracket = _TRAILING_BRACKET_RE.search(recipient)
        if bracket is not None and not known_marker.search(recipient):
            name = recipient[: bracket.start()].strip()
            marked[fold(bracket[1])].add(fold(name))
            recipient = name
        recipient = known_marker.sub("", recipient).strip()
        if grammar.suffix:
            recipient = Grammar(opener=None, suffix=grammar.suffix).strip_suffix(recipient)
        recipients[fold(recipient)] += 1
    # A bracketed word after several names, or after a name that also sends, marks
    # the message (a person's name would not carry the same word).
    markers = frozenset(
        word for word, names in marked.items() if len(names) >= 2 or names & senders
    )
    everyone: frozenset[str] = frozenset()
    if recipients:
        top, count = recipients.most_common(1)[0]
        if (
            top
            and count >= max(2, 0.3 * len(heads))
            and top not in senders
            and not is_everyone(top)
            and not is_panelists(top)
        ):
            everyone = frozenset({top})
    return everyone, markers
