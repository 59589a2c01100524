"""Text handling: normalising, tokenising, stemming, phrase matching, questions, sentiment.

Uses nltk's regular-expression tokeniser and Snowball stemmer, which need no
downloaded data; sentiment is VADER's compound score (see :mod:`feedback.sentiment`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
_URL_RE = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_MENTION_RE = re.compile(r"@\w+")
_TOKEN_RE = re.compile(r"[a-z0-9]+(?:['\-][a-z0-9]+)*")
_SPACE_RE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Lower-case, straighten quotes, drop URLs, fold accents and collapse spaces.

    Examples
    --------
    >>> normalise("Won’t   work HERE https://x.org")
    "won't work here"
    """
    text = (text or "").translate(_APOSTROPHES)
    if "://" in text or "www." in text:
        text = _URL_RE.sub(" ", text)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _SPACE_RE.sub(" ", text.lower()).strip()


def tokenise(text: str) -> list[str]:
    """Split normalised text into word tokens (keeping ``won't`` and ``co-design`` whole)."""
    return _TOKEN_RE.findall(normalise(text))


@lru_cache(maxsize=1)
def _stemmer():
    from nltk.stem.snowball import SnowballStemmer

    return SnowballStemmer("english")


@lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """Snowball stem of one token (cached). Hyphenated parts are stemmed one by one."""
    if "-" in token:
        return "-".join(stem(part) for part in token.split("-"))
    return _stemmer().stem(token.replace("'", ""))


def stem_tokens(text: str) -> list[str]:
    """Tokenise and stem ``text``."""
    return [stem(token) for token in tokenise(text)]


def stemmed_text(text: str) -> str:
    """Stemmed tokens joined by single spaces, with a space at each end (for matching)."""
    return " " + " ".join(stem_tokens(text)) + " "


class PhraseMatcher:
    """Find a codebook's key phrases in text, after stemming both.

    Phrases are matched token by token (indexed by their first stem), so the cost
    grows with the length of the text, not with the number of phrases.

    Parameters
    ----------
    phrases : dict of str to sequence of str
        Code id to its key phrases.

    Examples
    --------
    >>> matcher = PhraseMatcher({"failure": ["fail fast", "failure"]})
    >>> matcher.match("We failed fast and learned")
    {'failure': ['fail fast']}
    """

    def __init__(self, phrases: dict[str, Sequence[str]]) -> None:
        self.codes = list(phrases)
        self._index = {code: i for i, code in enumerate(self.codes)}
        # first stem -> list of (stem tuple, code, phrase as written)
        self._by_first: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
        seen: set[tuple[tuple[str, ...], str]] = set()
        for code, code_phrases in phrases.items():
            for phrase in code_phrases:
                key = tuple(stem_tokens(phrase))
                if not key or (key, code) in seen:
                    continue
                seen.add((key, code))
                self._by_first.setdefault(key[0], []).append((key, code, phrase))
        for entries in self._by_first.values():
            entries.sort(key=lambda e: len(e[0]), reverse=True)

    def _scan(self, stems: Sequence[str]):
        by_first = self._by_first
        n = len(stems)
        for i, first in enumerate(stems):
            entries = by_first.get(first)
            if not entries:
                continue
            for key, code, phrase in entries:
                k = len(key)
                if k == 1 or (i + k <= n and tuple(stems[i : i + k]) == key):
                    yield code, phrase

    def match(self, text: str) -> dict[str, list[str]]:
        """Code id to the phrases of that code found in ``text``."""
        return self.match_stemmed(stemmed_text(text))

    def match_stemmed(self, stemmed: str) -> dict[str, list[str]]:
        """Like :meth:`match` for text already passed through :func:`stemmed_text`."""
        found: dict[str, list[str]] = {}
        for code, phrase in self._scan(stemmed.split()):
            phrases = found.setdefault(code, [])
            if phrase not in phrases:
                phrases.append(phrase)
        return found

    def indicator(self, texts: Iterable[str]):
        """A sparse matrix (n_texts x n_codes) of 1 where a code's phrase occurs."""
        return self.indicator_stemmed([stemmed_text(text) for text in texts])

    def indicator_stemmed(self, stemmed: Sequence[str]):
        """Like :meth:`indicator` for texts already passed through :func:`stemmed_text`."""
        import numpy as np
        from scipy import sparse

        rows, cols = [], []
        index = self._index
        for row, text in enumerate(stemmed):
            seen = set()
            for code, _ in self._scan(text.split()):
                if code not in seen:
                    seen.add(code)
                    rows.append(row)
                    cols.append(index[code])
        data = np.ones(len(rows), dtype=np.float64)
        return sparse.csr_matrix((data, (rows, cols)), shape=(len(stemmed), len(index)))


# -- questions ----------------------------------------------------------------------------
# A question is found in three ways: a question mark that ends a clause (outside links,
# quotes and "(?)"), a clause that opens like a question ("how do we...", "is there...",
# after a preamble such as "sorry if I missed it but"), or a request or interest phrasing
# ("please share the link", "slides pls", "I'd be interested in whether").
_SUBJECTS = (
    r"(?:you|u|ya|we|i|they|it|there|this|that|these|those|the|a|an|any|anyone|anybody|"
    r"someone|somebody|everyone|everybody|he|she|people|your|our|their|my|his|her|its|"
    r"slides?|recording|one|other|others|some|all|each|every|trusts|teams|staff|patients|"
    r"participants|attendees|speakers?|panel|panellists|panelists|presenters?|[A-Z][a-z]+)"
)
_AUX = (
    r"(?:is|are|was|were|can|could|would|will|shall|should|may|might|must|do|does|did|has|"
    r"have|had|isn't|aren't|wasn't|weren't|can't|cannot|couldn't|wouldn't|won't|shouldn't|"
    r"don't|doesn't|didn't|hasn't|haven't)"
)
_WH_AUX = r"(?:do|does|did|can|could|would|should|will|is|are|was|were|has|have|had|might|may)"
#: Openings that make a clause a question even without a question mark.
_QUESTION_OPENINGS = re.compile(
    r"^(?:which\b|whose\b|"
    r"why (?!not\b\W*$)|"
    r"(?:how|what|when|where|who)'(?:s|re|d)\b|who (?!knew\b)[a-z]+(?:s|ed)\b|"
    r"what (?:time|date|day|dates)\b|"
    rf"how (?:{_WH_AUX}|much|many|long|often|far|soon|big|quickly|to|come|about)\b|"
    rf"what (?:{_WH_AUX}|about|if|happens|happened|kind|sort|type|level|sorts|kinds|types|"
    r"counts|evidence|proportion|percentage|number|support|training|data|tools?|metrics?)\b|"
    rf"(?:when|where|who) (?:{_WH_AUX}|else|here)\b|"
    rf"{_AUX} (?!(?:a|an) (?:look|go|think|read|listen|chat|word|try)\b){_SUBJECTS}\b)",
)
#: Subject-less openings that state rather than ask ("can confirm", "may I just say").
_NOT_OPENINGS = re.compile(
    r"^(?:(?:can|could|may|might|must|should|would|will|do) (?:i|we) (?:just )?"
    r"(?:say|add|echo|thank|recommend|suggest|mention|plug|share|second)\b|"
    r"(?:do|does|did) (?:check|have a|take a|look|read)\b|"
    r"(?:did|have done|have tried) (?:this|that|it) (?:in|at|on|last|with|for|before|years?|"
    r"ages|recently|ourselves|myself|too|already|a|as|when|during)\b|"
    r"it (?:is|was|would)\b|is (?:this|it) (?:brilliant|great|amazing)\b|"
    r"(?:was|were|is) (?:my|our|his|her|their) [\w'-]+(?: [\w'-]+)?$)",
)
_INTEREST = re.compile(
    r"\b(?:i wonder(?:ed)?|wondering|i'?d (?:like|love) to (?:know|hear|learn|understand)|"
    r"(?:would|'d) (?:love|like|welcome|appreciate) (?:to (?:know|hear|learn|understand|see "
    r"(?:how|what|whether|if))|(?:any|some|your) (?:thoughts|views|advice|tips|pointers|"
    r"examples|help|guidance|insight))|"
    r"(?:i'?m|i am|i'?d be|i would be|would be|be) (?:really |very |so |particularly )?"
    r"(?:interested|keen|curious) (?:to (?:know|hear|learn|understand)|in (?:how|what|whether|"
    r"if|why|where|when|who|hearing|knowing|learning|understanding))|"
    r"(?:interested|keen) to (?:know|hear|learn|understand)|curious (?:how|what|whether|if|about|"
    r"to|why|where|who)|"
    r"(?:would|'d) be (?:good|great|useful|interesting|helpful|nice) to (?:know|hear|learn|"
    r"understand)|"
    r"(?:does|has|is|can|could|would) (?:anyone|anybody|someone|somebody|everyone)|"
    r"(?:^|(?<=[.,;:!-] )|(?<=\band )|(?<=\bbut )|(?<=\bso )|(?<=\bhas )|(?<=\bis ))anyone "
    r"(?:know|got|have|tried|else|able|using|done|doing|found|aware|seen|recommend)|"
    r"anyone (?:know|knows|got|tried|aware)\b|"
    r"(?:^|(?<=[.,;:!-] )|(?<=\band )|(?<=\bbut )|(?<=\bso )|(?<=\balso )|(?<=\bthanks )|"
    r"(?<=\bhi all ))any (?:thoughts|advice|tips|ideas|examples|recommendations|suggestions|"
    r"pointers|guidance|update|news|idea|chance|plans?|way|word|luck|reason|evidence|data)\b"
    r"(?! (?:would|will|is|was|has|had|helps?|helped|could|might|at all)\b)|"
    r"(?:still|also) (?:interested|keen|waiting|hoping) (?:in|on|for)\b|"
    r"\b(?:can|could|would|will) (?:you|someone|anyone|somebody|u) (?:please |pls |kindly |just "
    r"|maybe )?(?:share|re-?share|send|re-?send|post|re-?post|pop|drop|paste|circulate|upload|"
    r"email|forward|let|tell|explain|clarify|repeat|put|turn|go back|speak|say|start|add)\b|"
    r"^(?:a |one |quick |another |genuine )?question (?:for|to|about|re|on)\b|"
    r"quick (?:q|question)\b|^q\b|^question\b|"
    r"is it (?:just me|only me|possible)|just me or|or is it just|let (?:us|me) know (?:if|how|"
    r"what|whether|when|where|who))"
)
#: Polite requests to the hosts: "please share the link", "slides pls", "can we get a copy".
#: Reports of a broken link or form, which want a fix.
_FAULT = re.compile(
    r"\b(?:link|links|url|form|survey|invite|invitation|certificate|page|website|download|"
    r"registration|captions|breakout)\b[^.!?]*\b(?:isn'?t|is not|not|won'?t|doesn'?t|does not|"
    r"can'?t|cannot|hasn'?t|has not|never)\b[^.!?]*\b(?:work|works|working|load|loading|open|"
    r"opening|let me|come through|came through|arrived|accept|submit)|\b(?:404|access denied|"
    r"error message|broken link|page not found|permission denied|kicked out)\b"
)
#: A host handing a question to a panelist: routing, not a new question.
_ROUTING = re.compile(
    r"^(?:[\w'-]+,? )?(?:do you want to|would you like to|can you|could you|will you) (?:take|pick "
    r"up|answer|respond to|come in on|address|field)\b[^?]*\b(?:point|points|question|questions|"
    r"q|one)\b"
)
#: "we ask three questions: ...": questions reported after a colon.
_REPORTED = re.compile(
    r"\b(?:ask|asks|asked|asking|(?:three|these|those|the|same|two|some|few|\d+) questions)\b"
    r"[^.?!:]*:.*$",
    re.DOTALL | re.IGNORECASE,
)
_NAME_FIRST = re.compile(
    r"^([A-Z][a-z]+),? (?=(?:do|does|did|can|could|would|will|have|has|is|are|was|were) )"
)
_NOT_NAMES = {
    "the", "we", "it", "this", "that", "they", "there", "i", "you", "our", "my", "what", "how",
    "why", "when", "where", "who", "which", "thanks", "yes", "no", "also", "and", "but", "so",
    "some", "all", "one", "most", "many", "people", "everyone", "anyone", "just", "really",
    "here", "today", "now", "everything", "nothing", "something", "mine", "ours", "he", "she",
}  # fmt: skip
#: After "Tom is the ICB...": what makes a copula after a name a question.
_COPULA_QUESTION = re.compile(r"\b(?:or|going to|planning to|likely to|able to|still)\b")
_AUX_NOUN_VERB = re.compile(
    r"^(?:did|does|do|can|could|will|would|should) (?:[\w'-]+ ){1,2}(?:get|have|go|do|make|need|"
    r"use|work|take|know|say|think|feel|find|see|help|change|start|stop|come|include|involve|"
    r"mean|cost|want|try|manage|happen|apply|affect|pay|fund|lead|run|cover|mind|agree|buy)\b|"
    r"^(?:have|has) (?:[\w'-]+ ){1,2}(?:found|had|been involved|seen|tried|used|done|got|"
    r"noticed|managed|considered|looked|thought|heard|evaluated|measured)\b"
)
_REQUEST_VERBS = (
    r"(?:share|re-?share|send|re-?send|post|re-?post|pop|put|drop|paste|circulate|provide|"
    r"upload|email|e-mail|forward|clarify|explain|repeat|expand|elaborate|confirm|advise|"
    r"say|tell|point|unmute|speak|turn|enlarge|zoom|go back|make|add|give|include|mention|"
    r"list|type|write|link|signpost|direct)"
)
_REQUEST = re.compile(
    r"^(?:pop|drop|post|put|share|send|add|type|paste|write)\b.*\b(?:please|pls|plz)\W*$|"
    r"\b(?:slides?|link|links|url|recording|presentation|references?|certificate|handout|pdf|"
    r"notes|copy)\b.*\b(?:please|pls|plz)\W*$|"
    rf"\b(?:please|pls|plz|pleeease|kindly)(?: could you| can you| would you| do| just)? "
    rf"{_REQUEST_VERBS}\b|"
    r"^(?:slides?|slide deck|the slides|link|the link|links|recording|the recording|copy of "
    r"(?:the )?slides|reference|references|certificate)[ ,.!]*(?:please|pls|plz|pleeease)\b"
)
#: Clauses after a comma that continue a statement ("..., which is the problem").
_RELATIVE = re.compile(r"(?:which|whose|how to)\b|who (?:is|are|was|were|has|have)\b")
#: "What would help is more time": a statement that opens like a question.
_PSEUDO_CLEFT = re.compile(
    r"^what(?: (?:is|was|would|will|could|can|should)|'s)"
    r"(?: (?!(?:what|you|we|i|they|he|she|it|people|anyone|someone)\b)[\w']+){1,3} (?:is|was)\b"
)
#: Exclamations that carry a question mark: "who knew?", "how good was that?".
_RHETORICAL = re.compile(
    r"^(?:who knew\b.*|why not|how (?:good|great|cool|amazing|brilliant|lovely|fab|fantastic|"
    r"inspiring|refreshing) (?:was|is) (?:that|this|it)|isn'?t it (?:always|just)|what'?s not "
    r"to (?:like|love)|who doesn'?t|need i say more|am i right|right|eh|no|yes|really|huh|"
    r"seriously|sorry|pardon)\W*$"
)
#: Words that lead into a question inside a sentence ("sorry if I missed it but what...").
_PREAMBLE_SPLIT = re.compile(
    r"(?:,|\s-+|\s–|\.\.+|\bbut|\bso|\band|\balso|\bjust|\bthen|\bok(?:ay)?|\bthanks"
    r"|\bq|\bquestion|\bsorry|\bhmm+|\bout of interest|\bre(?: \w+){1,3}\s*[-:,])\s+"
)
#: "what did we expect, what happened": a list of questions described, not asked.
_WH_LIST = re.compile(
    r"\b(?:what|how|why|when|where|who)\b[^,.;]*,\s*(?:and\s+)?(?:what|how|why|when|where|who)\b"
)
_WH_LIST3 = re.compile(
    r"\b(?:what|how|why|when|where|who)\b[^,.;]*,\s*(?:what|how|why|when|where|who)\b[^,.;]*,"
    r"\s*(?:and\s+)?(?:what|how|why|when|where|who)\b"
)
#: "What worked was...": clefts that open with a question word.
_CLEFT = re.compile(
    r"^what (?:happened|worked|helped|matters|mattered|changed|counts|surprised (?:me|us)|"
    r"struck (?:me|us)|(?:we|i|they) (?:found|learned|learnt|saw|did|noticed))(?: [\w']+){0,3} "
    r"(?:was|is|were)\b"
)
_QUOTED = re.compile(
    r"\"[^\"\n]{2,}\"|(?<![\w])'[^'\n]{4,}'(?![\w])|\u201c[^\u201d\n]{2,}\u201d|^>.*$",
    re.MULTILINE,
)
_REPLYING = re.compile(r"^\s*replying to\b.*?(?:\"[^\"]*\"|:)\s*", re.IGNORECASE)
_UNSURE_MARK = re.compile(r"\(\s*\?+\s*\)|\?\?+(?=\))|(?<=\w)\?(?=\w)")
_QUESTION_MARK = re.compile(r"\?(?=[\s\"')\]!.,:;*_~]|$|[^\x00-\x7f])")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!;?])\s+|\n+|\s+(?:\.\.+|…)\s*|\.\.+\s*|…\s*")
_SESSION_NOUNS = (
    r"(?:slides?|slide ?deck|deck|powerpoint|ppt|presentation|recording|recordings|recorded|"
    r"record|video|link|links|url|certificate|certificates|cpd|attendance|audio|sound|mic|"
    r"microphone|mute|muted|unmute|volume|camera|screen|chat|breakout|zoom|webinar|"
    r"session|handout|pdf|resources|materials?|copy|copies|email|e-mail|feedback form|survey|"
    r"poll|q&a|q and a|slido|menti|youtube|captions?|subtitles|transcript|registration|register|"
    r"joining instructions|image|picture|font|agenda|blog|newsletter|notes|write-?up|form)"
)
_SESSION_ACTIONS = (
    r"(?:share|shared|sharing|send|sent|circulate|circulated|available|access|find|got|"
    r"download|post|posted|pop|put|view|working|open|upload|"
    r"uploaded|email|emailed|distribute|distributed|make|bigger|larger|enlarge|zoom|copy|"
    r"record|recorded|recording|provide|provided|receive|go out|come out|after|afterwards|"
    r"later|again|resend|repost|drop|paste|watch|rewatch|catch up|frozen|froze|lagging|blank|"
    r"tiny|small|separate|clearer|version)"
)
_SESSION_ALWAYS = re.compile(
    r"\b(?:can'?t hear|cannot hear|can'?t see|cannot see|no sound|no audio|lost (?:sound|audio|"
    r"connection|you)|(?:sound|audio|video|screen|slides?) (?:is|are|has|have|keeps?)\b|"
    r"(?:being|be) recorded|recording (?:be|be made|available|shared|sent)|certificates?|cpd|"
    r"is it just me|just me or|breakout|what time|(?:start|finish|end) time|when (?:does|do|will) "
    r"(?:it|this|the session|the webinar|we) (?:start|finish|end)|slides?$|^slides?\b|link "
    r"(?:to|for) (?:the )?(?:slides?|recording|session|webinar|survey|feedback|form|zoom|teams|"
    r"chat)|(?:share|send|post|pop|put|drop|paste|circulate) (?:the |a |that |this )?(?:link|"
    r"url|slides?)|where (?:can|do|will|would) (?:i|we|you) (?:find|get|access|see|watch)|"
    r"(?:slides?|recording|presentation|resources?|materials?|blog|newsletter|notes|write-?up|"
    r"summary|report) (?:be |get |go )?(?:shared|sent|"
    r"circulated|available|emailed|distributed|posted|uploaded)|separate image|on mute|muted|"
    r"go back a slide|(?:next|previous|last) slide|slide back|"
    r"(?:next|another|future|follow[- ]?up|further|part (?:2|two)) (?:one|session|sessions|"
    r"webinar|webinars|event|events|workshop)\b|time slot|(?:feedback|evaluation) form|"
    r"(?:the|a|this|that) form\b|\b(?:which|what|my|our|the|this) room\b|\brooms?\b \d|"
    r"\b(?:have|did) (?:i|we) miss(?:ed)?\b|^(?:any |is (?:that|this|it) |sound |audio )?better$|"
    r"can (?:you|everyone|everybody|people|u) (?:all )?(?:hear|see) (?:me|us|my screen|"
    r"the slides|the screen|that|this|it)\b|volume|speaker notes|(?:lunch|comfort|coffee) break|"
    r"is there a break|(?:chat|slides|recording|session|webinar) (?:being|be|is|was) "
    r"(?:saved|recorded|shared|available)|is (?:this|it|the session|the webinar|the talk) "
    r"(?:available|going to be available)|404|access denied|kicked out|invite|"
    r"(?:share|send|post|pop|put|drop|paste|circulate|repost|re-post|email|forward|upload)"
    r"(?: [\w'-]+){0,5} (?:link|links|url|slides?|deck|recording|presentation|template|"
    r"templates|toolkit|guide|paper|papers|report|document|references?|resources?|materials?|"
    r"handout|pdf|copy)\b)"
)
_SESSION_PAIR = re.compile(
    rf"\b{_SESSION_NOUNS}\b.*\b{_SESSION_ACTIONS}\b|\b{_SESSION_ACTIONS}\b.*\b{_SESSION_NOUNS}\b"
)
_SESSION_STRONG = re.compile(
    r"\b(?:slides?|slide ?deck|recording|recordings|recorded|certificates?|cpd|captions?|"
    r"subtitles|audio|sound|mic|microphone|volume|camera|breakout|chat box|q&a box|zoom|padlet|"
    r"slido|menti|podcast|webinar|handouts?)\b"
)
_TOPIC_MARKERS = re.compile(
    r"\b(?:how (?:did|do|does|would|could|can|should) (?:you|they|we|the team|your team|it) "
    r"(?!(?:find|get|access|see|watch|hear)\b)\w+|why (?:did|do|does|was|were|is|are)|"
    r"evidence|outcomes?|patients?|staff|funding|evaluat\w*|measure\w*|data\b|sample size|"
    r"results?)"
)


def _prepare(text: str) -> str:
    """Text with links, quoted passages, "(?)" and ``@mentions`` removed."""
    raw = (text or "").translate(_APOSTROPHES)
    raw = _REPLYING.sub("", raw)
    if "://" in raw or "www." in raw:
        raw = _URL_RE.sub(" ", raw)
    raw = _QUOTED.sub(" ", raw)
    raw = _UNSURE_MARK.sub(" ", raw)
    return _MENTION_RE.sub(" ", raw)


def _clauses(sentence: str) -> list[str]:
    """The sentence and every clause that follows a preamble word inside it."""
    found = [sentence]
    for match in _PREAMBLE_SPLIT.finditer(sentence):
        rest = sentence[match.end() :].strip(" ,-:")
        if rest:
            found.append(rest)
    return found


def _asks(sentence: str, *, marked: bool) -> bool:
    """Whether one sentence (lower case, no trailing question mark) asks something."""
    if not marked and sentence.rstrip().endswith(":"):
        return False  # "What's worked for us:" introduces a list
    sentence = sentence.strip(" ,-:*_~()[]")
    if not sentence:
        return False
    if marked:
        return not (
            _RHETORICAL.match(sentence) or _ROUTING.match(sentence) or _WH_LIST3.search(sentence)
        )
    if sentence.endswith("!") or _RHETORICAL.match(sentence):
        return False
    if _WH_LIST.search(sentence) or _ROUTING.match(sentence):
        return False
    for position, clause in enumerate(_clauses(sentence)):
        if position and (len(clause.split()) < 3 or _RELATIVE.match(clause)):
            continue
        if not position and _AUX_NOUN_VERB.match(clause) and not _NOT_OPENINGS.match(clause):
            return True
        if (
            _QUESTION_OPENINGS.match(clause)
            and not _NOT_OPENINGS.match(clause)
            and not _PSEUDO_CLEFT.match(clause)
            and not _CLEFT.match(clause)
        ):
            return True
    return False


def is_question(text: str) -> bool:
    """Whether a comment asks something, with or without a question mark.

    A question mark that ends a clause makes a question (one inside a link, a
    quotation or "(?)" does not); so does a sentence or clause that opens like one
    ("how do we...", "is there...", "sorry if I missed it but what was..."), a
    polite request ("please share the link", "slides pls") or an interest phrasing
    ("I'd be interested in whether...", "would love to hear how...").

    Examples
    --------
    >>> is_question("wondering how you'd measure benefit for staff")
    True
    >>> is_question("slides pls")
    True
    >>> is_question("What a brilliant session!")
    False
    >>> is_question("Have a look at the Academy of Fab Stuff")
    False
    """
    prepared = _REPORTED.sub(" ", _prepare(text))
    # Names in openings ("did Sam say...") need their capitals; everything else is lower case.
    cased = re.sub(r"[^\S\n]+", " ", prepared).strip()
    words = normalise(prepared)
    if not words or not any(ch.isalpha() for ch in words):
        return False
    if _INTEREST.search(words) or _REQUEST.search(words) or _FAULT.search(words):
        return True
    for raw_sentence in _SENTENCE_SPLIT.split(cased):
        raw_sentence = raw_sentence.strip()
        name = _NAME_FIRST.match(raw_sentence)
        if (
            name
            and name.group(1).lower() not in _NOT_NAMES
            and (
                not re.match(r"(?:is|are|was|were) ", raw_sentence[name.end() :])
                or _COPULA_QUESTION.search(raw_sentence[name.end() :])
            )
        ):
            raw_sentence = raw_sentence[name.end() :]
        if not raw_sentence:
            continue
        marked = bool(_QUESTION_MARK.search(raw_sentence + " "))
        sentence = normalise(raw_sentence).rstrip("?!. ") if marked else normalise(raw_sentence)
        if marked and not sentence.rstrip("?").strip():
            continue
        if _REQUEST.search(sentence) or _asks(_case_subject(raw_sentence, sentence), marked=marked):
            return True
    return False


def _case_subject(raw: str, lowered: str) -> str:
    """``lowered`` with a capitalised name after an opening auxiliary kept capitalised."""
    match = re.match(rf"^\W*{_AUX} ([A-Z][a-z]+)\b", raw, flags=re.IGNORECASE)
    if match and match.group(1)[0].isupper() and match.group(1).lower() not in {"i"}:
        name = match.group(1)
        return lowered.replace(name.lower(), name, 1)
    return lowered


def question_topic(text: str) -> str:
    """Whether a question is about the ``"session"`` (slides, sound, links) or the ``"topic"``.

    Examples
    --------
    >>> question_topic("where can I find the recording")
    'session'
    >>> question_topic("could we have the slide as a separate image?")
    'session'
    >>> question_topic("what was the sample size")
    'topic'
    """
    words = normalise(_MENTION_RE.sub(" ", text or "")).rstrip("?!. ")
    if not words:
        return "topic"
    if _SESSION_ALWAYS.search(words):
        return "session"
    if _SESSION_PAIR.search(words) and not _TOPIC_MARKERS.search(words):
        return "session"
    if _FAULT.search(words):
        return "session"
    if _SESSION_STRONG.search(words) and not _TOPIC_MARKERS.search(words):
        return "session"
    if len(words.split()) <= 4 and re.search(rf"\b{_SESSION_NOUNS}\b", words):
        return "session"
    return "topic"


# -- sentiment ----------------------------------------------------------------------------
def sentiment(text: str) -> float:
    """VADER compound score of ``text``, from -1 (negative) to +1 (positive).

    Exactly VADER's number, computed by :func:`feedback.sentiment.compound`; empty and
    blank texts score 0.
    """
    from feedback.sentiment import compound

    return compound(text)


def sentiment_label(score: float) -> str:
    """``positive`` (>= 0.05), ``negative`` (<= -0.05) or ``neutral``, VADER's usual cut-offs."""
    if score >= 0.05:
        return "positive"
    if score <= -0.05:
        return "negative"
    return "neutral"
