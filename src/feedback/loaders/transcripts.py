"""Meeting transcripts: WebVTT files from Zoom cloud recordings and Microsoft Teams.

Zoom names the speaker in front of the text (``Ann Lee: Okay, so we're
recording.``); Teams uses voice tags (``<v Ann Lee>Okay.</v>``, sometimes left
unclosed). Each cue becomes one ``transcript`` item (one per voice span when a
cue holds several speakers), timed from the start of the recording.

The file is parsed by hand rather than with a strict WebVTT reader so that one
malformed cue is counted as skipped instead of rejecting the whole file.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from feedback.exceptions import FormatError
from feedback.loaders.base import (
    GMT_NAME_RE,
    UNKNOWN_DATE,
    Loader,
    LoadOptions,
    Parsed,
    Skipped,
    Source,
)
from feedback.loaders.dates import parse_offset
from feedback.loaders.registry import register
from feedback.schema import Col, Kind

_STAMP = r"(?:\d+:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
#: ``00:00:04.859 --> 00:00:07.410 [settings]``.
_TIMING_RE = re.compile(rf"^\s*(?P<start>{_STAMP})\s*-->\s*(?P<end>{_STAMP})(?:\s.*)?$")
#: A cue id written by Teams: ``<GUID>/<n>-<n>``; or a plain number.
_CUE_ID_RE = re.compile(r"^(?:\d+|[A-Za-z0-9\-]+/\d+-\d+)$")
#: Blocks that are not cues.
_NON_CUE_RE = re.compile(r"^(?:NOTE|STYLE|REGION)(?:\s|$)")
#: A voice tag: ``<v Name>``, ``<v.loud Name>``, ``<v>``.
_VOICE_RE = re.compile(r"<v(?:\.[^\s>]*)?(?:[ \t]+(?P<name>[^>]*))?>", re.IGNORECASE)
#: Other cue markup, removed from the text (``</v>``, ``<c.x>``, ``<i>``, ``<00:01.000>``).
_MARKUP_RE = re.compile(
    r"</?(?:v|c|i|b|u|ruby|rt|lang)(?:[.\s][^>]*)?>|<\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?>",
    re.IGNORECASE,
)
#: Zoom's speaker prefix: ``Name: text`` (a name of at most eight words, with a letter).
_PREFIX_RE = re.compile(r"^(?P<name>[^:\n<>]{1,80}?):[ \t]+(?P<text>.*)$", re.DOTALL)


@dataclass(frozen=True)
class _Cue:
    line: int
    start: timedelta
    payload: str


def _clean(text: str) -> str:
    """Cue text without markup, entities decoded, lines right-stripped."""
    text = html.unescape(_MARKUP_RE.sub("", text))
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def _speaker_prefix(text: str) -> tuple[str, str]:
    """Split Zoom's ``Name: text`` into ``(name, text)``; ``("", text)`` without a name."""
    match = _PREFIX_RE.match(text)
    if match is None:
        return "", text
    name = match["name"].strip()
    if not name or not re.search(r"[^\W\d_]", name) or len(name.split()) > 8:
        return "", text
    return name, match["text"].strip()


def _voice_segments(payload: str) -> list[tuple[str, str]]:
    """Split a cue's payload by voice tags into ``(speaker, text)`` spans.

    Text before the first tag has no speaker; consecutive spans of one speaker
    are merged.
    """
    matches = list(_VOICE_RE.finditer(payload))
    spans: list[tuple[str, str]] = []
    lead = payload[: matches[0].start()] if matches else payload
    if _clean(lead):
        spans.append(("", _clean(lead)))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(payload)
        text = _clean(payload[match.end() : end])
        name = html.unescape((match["name"] or "").strip())
        if not text:
            continue
        if spans and spans[-1][0] == name:
            spans[-1] = (name, spans[-1][1] + "\n" + text)
        else:
            spans.append((name, text))
    return spans


def _has_header(source: Source) -> bool:
    lines = source.lines
    return bool(lines) and lines[0].lstrip("\ufeff \t").startswith("WEBVTT")


def _read_cues(source: Source) -> tuple[list[_Cue], list[Skipped]]:
    """Split the file into cues; blocks that are not cues are skipped (and counted)."""
    lines = [line.rstrip("\r") for line in source.lines]
    cues: list[_Cue] = []
    skipped: list[Skipped] = []
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for index, line in enumerate(lines):
        if line.strip():
            if not current:
                start = index
            current.append(line)
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    for block_number, (first, block) in enumerate(blocks):
        if block_number == 0 and block[0].lstrip("\ufeff \t").startswith("WEBVTT"):
            # The header block; a cue may follow it without a blank line.
            if not any(_TIMING_RE.match(line) for line in block[1:]):
                continue
            block, first = block[1:], first + 1
        if _NON_CUE_RE.match(block[0]):
            continue
        _block_cues(source, first, block, cues, skipped)
    return cues, skipped


def _block_cues(
    source: Source, first: int, block: list[str], cues: list[_Cue], skipped: list[Skipped]
) -> None:
    """Read the cue(s) of one block: ``[id]``, a timing line, text lines.

    Cues run into each other when a blank line is missing, so every timing line
    starts a cue (taking the id line just before it, if it looks like one). A
    block that does not start with a cue is counted as skipped.
    """
    timings = [i for i, line in enumerate(block) if _TIMING_RE.match(line)]
    if not timings or timings[0] > 1:
        arrow = any(re.search(r"-+>", line) for line in block[:2])
        reason = (
            "malformed cue timing (expected '00:00:01.000 --> 00:00:02.000')"
            if arrow
            else "not a cue (expected a timing line such as '00:00:01.000 --> 00:00:02.000')"
        )
        skipped.append(Skipped(source.name, first + 1, reason, block[0]))
        if not timings:
            return
    starts: list[tuple[int, int]] = []  # (first line of the cue, its timing line)
    previous = -1
    for position in timings:
        if position == 1 and previous == -1:
            cue_first = 0
        elif position - 1 > previous and _CUE_ID_RE.match(block[position - 1].strip()):
            cue_first = position - 1
        else:
            cue_first = position
        starts.append((cue_first, position))
        previous = position
    for number, (cue_first, timing) in enumerate(starts):
        end = starts[number + 1][0] if number + 1 < len(starts) else len(block)
        match = _TIMING_RE.match(block[timing])
        payload = "\n".join(block[timing + 1 : end])
        start = parse_offset(match["start"]) if match else timedelta()
        cues.append(_Cue(line=first + cue_first + 1, start=start, payload=payload))


@register
class VttTranscriptLoader(Loader):
    """WebVTT transcript from Zoom (``Name: text`` cues) or Teams (``<v Name>`` cues)."""

    format_id = "vtt-transcript"
    description = "Meeting transcript in WebVTT (Zoom cloud recording, Microsoft Teams)"
    recognised_by = "first line 'WEBVTT'; speakers as 'Name: text' or '<v Name>text</v>'"
    family = "chat"
    extensions = (".vtt",)

    @classmethod
    def sniff(cls, source: Source) -> float:
        """0.95 for a ``WEBVTT`` first line; 0.6 for a ``.vtt`` file with cue timings."""
        try:
            head = source.head(20)
        except Exception:
            return 0.0
        if head and head[0].lstrip("\ufeff \t").startswith("WEBVTT"):
            return 0.95
        if source.suffix == ".vtt" and any(_TIMING_RE.match(line) for line in head):
            return 0.6
        return 0.0

    def parse(self, source: Source, options: LoadOptions) -> Parsed:
        """Parse the cues into ``transcript`` items timed from the recording start."""
        header = _has_header(source)
        cues, skipped = _read_cues(source)
        if not header and not cues:
            raise FormatError(
                f"{source.name}: not a WebVTT transcript (expected 'WEBVTT' on the first line "
                "and cues such as '00:00:01.000 --> 00:00:02.000')"
            )
        voices = any(_VOICE_RE.search(cue.payload) for cue in cues)
        hint = source.date_hint if GMT_NAME_RE.search(source.name) else None
        anchored = hint is not None
        base = hint or datetime.combine(UNKNOWN_DATE, time())
        items: list[dict[str, object]] = []
        for cue in cues:
            if voices:
                spans = _voice_segments(cue.payload)
            else:
                text = _clean(cue.payload)
                spans = [_speaker_prefix(text)] if text else []
            spans = [(speaker, text) for speaker, text in spans if text]
            if not spans:
                skipped.append(Skipped(source.name, cue.line, "cue has no text", cue.payload))
                continue
            for speaker, text in spans:
                items.append(
                    {
                        Col.KIND: Kind.TRANSCRIPT,
                        Col.TIMESTAMP: base + cue.start,
                        Col.AUTHOR: speaker,
                        Col.RECIPIENT: "",
                        Col.IS_PRIVATE: False,
                        Col.TEXT: text,
                        Col.LINE: cue.line,
                    }
                )
        return Parsed(
            items=items,
            skipped=skipped,
            meta={"date_known": anchored, "time_base": "offset", "offset_anchored": anchored},
        )
