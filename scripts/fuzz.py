"""Fuzz every loader and the report with generated and mutated inputs.

Not part of the test run. Each input goes through format detection (``load_file``) and
through one forced format (the loaders take turns), so every loader sees every kind of
input; every ``--report-every``-th input that loads is also anonymised and turned into a
report (built, rendered as Markdown and HTML, written to a staged folder). An input is
handled cleanly when the call returns a result or raises a ``FeedbackError``; anything else
is a crash, saved with its traceback under ``--crashes`` so it can be replayed.

Usage::

    python scripts/fuzz.py                      # 100,000 inputs, seed 1
    python scripts/fuzz.py --count 2000 --seed 7 --report-every 200
    python scripts/fuzz.py --replay fuzz-crashes/crash-000001.bin

Inputs: the hand-made files under ``tests/data`` and the bundled sample are the seeds;
mutations flip, insert, delete and repeat bytes and lines, cut files short, re-encode them
(UTF-16, cp1252, with and without BOM), swap line endings and delimiters and splice in
formula starts, control characters, long lines and odd Unicode; generated inputs are Zoom
chats (one-line and two-line), WebVTT transcripts and CSV tables with export-like headers
filled with random cells.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ODD = [
    "\x00", "\ufeff", "\u202e", "\u200b", "\r", "\n", "\t", "\x1b[31m", "=", "+", "-", "@",
    "=HYPERLINK(\"http://x\")", "\"", "'", ",", ";", "|", "\\", "<script>", "é", "ß", "İ",
    "𝔘", "🙂", "👍🏽", "\u0301", "ﬁ", "Ⅻ", "٣", "\ud7ff", "\x85", "\u2028", "%s", "{}", "[",
    "]", "(", ")", "NaN", "None", "null", "1e309", "-0", "99999999999999999999", "  ",
]  # fmt: skip
NAMES = ["Jo Hartley", "Amara N", "Dr Amara Nwosu (she/her)", "José Ruiz", "siobhán",
         "+44 7700 900123", "a@b.org", "Everyone", "Hosts and panelists", "", " ", "=cmd",
         "Will", "Rose Tiller", "李小龍", "O'Brien", "Smith, John", "x" * 300]  # fmt: skip
HEADERS = [
    "Timestamp", "Email Address", "Your name (optional)", "ID", "Start time", "Completion time",
    "Email", "Name", "Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address",
    "StartDate", "EndDate", "ResponseId", "Q1", "text", "comment", "author", "time", "message",
    "User Name (Original Name)", "Join Time", "Leave Time", "Duration (Minutes)", "Question",
    "Answer", "Asker Name", "Asker Email", "Attended", "Organisation", "Country/Region Name",
    "How useful was it?", "What will you do differently?", "Any other comments?",
]  # fmt: skip


def _seeds() -> list[tuple[str, bytes]]:
    folders = [ROOT / "tests" / "data", ROOT / "src" / "feedback" / "assets" / "sample"]
    seeds = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix.lower() in {".txt", ".csv", ".tsv", ".vtt", ".xlsx"}:
                seeds.append((path.suffix.lower(), path.read_bytes()))
    return seeds


# -- mutations ------------------------------------------------------------------------------------
def _mutate(data: bytes, rng: random.Random) -> bytes:
    ops = rng.randint(1, 4)
    for _ in range(ops):
        data = rng.choice(MUTATIONS)(data, rng)
    return data


def _flip(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return bytes([rng.randrange(256)])
    buf = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(buf))
        buf[i] ^= 1 << rng.randrange(8)
    return bytes(buf)


def _insert(data: bytes, rng: random.Random) -> bytes:
    i = rng.randint(0, len(data))
    piece = rng.choice(ODD).encode("utf-8", "surrogatepass") * rng.choice([1, 1, 2, 50])
    return data[:i] + piece + data[i:]


def _delete(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    i = rng.randrange(len(data))
    return data[:i] + data[i + rng.randint(1, 64) :]


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randint(0, len(data))]


def _lines(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    if len(lines) < 2:
        return data
    choice = rng.randrange(5)
    i = rng.randrange(len(lines))
    if choice == 0:
        del lines[i]
    elif choice == 1:
        lines.insert(i, lines[rng.randrange(len(lines))])
    elif choice == 2:
        rng.shuffle(lines)
    elif choice == 3:
        lines[i] = lines[i] * rng.randint(2, 200)
    else:
        lines = lines[i:] + lines[:i]
    return b"\n".join(lines)


def _encode(data: bytes, rng: random.Random) -> bytes:
    text = data.decode("utf-8", "replace")
    encoding = rng.choice(["utf-16", "utf-16-le", "cp1252", "latin-1", "utf-8-sig", "utf-32"])
    return text.encode(encoding, "replace")


def _endings(data: bytes, rng: random.Random) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\n", rng.choice([b"\r\n", b"\r", b"\n\n"]))


def _delimiter(data: bytes, rng: random.Random) -> bytes:
    return data.replace(b",", rng.choice([b";", b"\t", b"|", b",,", b""]))


def _splice(data: bytes, rng: random.Random) -> bytes:
    other = rng.choice(SEEDS)[1]
    i, j = rng.randint(0, len(data)), rng.randint(0, len(other))
    return data[:i] + other[j:]


MUTATIONS = [_flip, _insert, _delete, _truncate, _lines, _lines, _encode, _endings, _delimiter,
             _splice]  # fmt: skip


# -- generated inputs -----------------------------------------------------------------------------
def _cell(rng: random.Random) -> str:
    kind = rng.randrange(6)
    if kind == 0:
        return rng.choice(ODD) * rng.randint(1, 3)
    if kind == 1:
        return rng.choice(NAMES)
    if kind == 2:
        day, month, hour, minute = (rng.randint(1, 31), rng.randint(1, 12), rng.randint(0, 23),
                                    rng.randint(0, 59))  # fmt: skip
        return f"{month}/{day}/2026 {hour}:{minute:02d}"
    if kind == 3:
        return str(rng.randint(-5, 12))
    if kind == 4:
        return rng.choice(["Yes", "No", "Very useful", "Strongly agree", "--", ""])
    return " ".join(rng.choice(["great", "thanks", "slides?", "agree", "@Will", "#1"])
                    for _ in range(rng.randint(0, 12)))  # fmt: skip


def _zoom_chat(rng: random.Random) -> tuple[str, bytes]:
    lines = []
    for _ in range(rng.randint(0, 40)):
        t = f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
        who, to = rng.choice(NAMES), rng.choice(NAMES)
        text = _cell(rng)
        style = rng.randrange(4)
        if style == 0:
            lines.append(f"{t} From {who} to {to}:\n\t{text}")
        elif style == 1:
            lines.append(f"{t}\t From  {who} : {text}")
        elif style == 2:
            reaction = f'Reacted to "{text}" with 👍'
            lines.append(f"{t} From {who} to {to}(Direct Message):\n\t{reaction}")
        else:
            lines.append(f"{t}\t{who}:\t{text}")
    return ".txt", "\n".join(lines).encode("utf-8", "surrogatepass")


def _vtt(rng: random.Random) -> tuple[str, bytes]:
    parts = ["WEBVTT", ""]
    for n in range(rng.randint(0, 20)):
        a, b = rng.randint(0, 5000), rng.randint(0, 5000)
        parts.append(str(n + 1))
        ms = rng.randint(0, 999)
        start = f"00:{a // 60 % 60:02d}:{a % 60:02d}.000"
        end = f"00:{b // 60 % 60:02d}:{b % 60:02d}"
        parts.append(f"{start} --> {end}.{ms:03d}")
        parts.append(f"<v {rng.choice(NAMES)}>{_cell(rng)}" if rng.random() < 0.7 else _cell(rng))
        parts.append("")
    return ".vtt", "\n".join(parts).encode("utf-8", "surrogatepass")


def _table(rng: random.Random) -> tuple[str, bytes]:
    import csv
    import io

    width = rng.randint(1, 8)
    header = rng.sample(HEADERS, width)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=rng.choice([",", ",", ";", "\t"]))
    for _ in range(rng.randint(0, 3)):
        writer.writerow([_cell(rng) for _ in range(rng.randint(1, 3))])  # title rows
    writer.writerow(header)
    for _ in range(rng.randint(0, 30)):
        writer.writerow([_cell(rng) for _ in range(width + rng.choice([0, 0, 0, -1, 1]))])
    return ".csv", out.getvalue().encode("utf-8", "surrogatepass")


GENERATORS = [_zoom_chat, _vtt, _table]


# -- running --------------------------------------------------------------------------------------
def _inputs(count: int, rng: random.Random):
    for number in range(count):
        if rng.random() < 0.6:
            suffix, data = rng.choice(SEEDS)
            data = _mutate(data, rng)
        else:
            suffix, data = rng.choice(GENERATORS)(rng)
            if rng.random() < 0.3:
                data = _mutate(data, rng)
        if rng.random() < 0.05:
            suffix = rng.choice([".txt", ".csv", ".vtt", ".xlsx", ".tsv", ""])
        yield number, suffix, data


class _TooSlow(Exception):
    """An input took longer than the time limit (a hang counts as a crash)."""


class Fuzzer:
    """Feeds inputs to the loaders and, now and then, the report; counts the outcomes."""

    def __init__(self, crashes: Path, report_every: int) -> None:
        from feedback.exceptions import FeedbackError
        from feedback.loaders import loaders

        self.error_type = FeedbackError
        self.formats = list(loaders())
        self.crashes = crashes
        self.report_every = report_every
        self.outcomes: Counter = Counter()
        self.crash_kinds: Counter = Counter()
        self.model = None
        self.reports = 0
        self.work = Path(__import__("tempfile").mkdtemp(prefix="feedback-fuzz-"))
        self.limit = 60

    def call(self, what: str, suffix: str, raw: bytes, func, *args, **kwargs):
        import signal

        def too_slow(signum, frame):
            raise _TooSlow(f"no answer within {limit} s on {len(raw):,} bytes")

        limit = self.limit * (10 if what == "report" else 1)  # a report trains the model once
        previous = signal.signal(signal.SIGALRM, too_slow)
        signal.alarm(limit)
        try:
            result = func(*args, **kwargs)
        except _TooSlow as error:
            self._crash(what, suffix, raw, error)
            return None
        except self.error_type:
            self.outcomes[f"{what}: FeedbackError"] += 1
            return None
        except RecursionError as error:
            self._crash(what, suffix, raw, error)
            return None
        except Exception as error:  # a crash is what we look for
            self._crash(what, suffix, raw, error)
            return None
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
        self.outcomes[f"{what}: result"] += 1
        return result

    def _crash(self, what: str, suffix: str, data: bytes, error: BaseException) -> None:
        self.outcomes[f"{what}: CRASH"] += 1
        frames = traceback.extract_tb(error.__traceback__)
        where = next((f for f in reversed(frames) if "feedback" in f.filename), frames[-1])
        kind = f"{type(error).__name__} in {Path(where.filename).name}:{where.lineno} ({what})"
        self.crash_kinds[kind] += 1
        if self.crash_kinds[kind] <= 3:
            self.crashes.mkdir(parents=True, exist_ok=True)
            number = sum(self.crash_kinds.values())
            base = self.crashes / f"crash-{number:06d}"
            base.with_suffix(".bin").write_bytes(data)
            base.with_suffix(".txt").write_text(
                f"{what}\nsuffix: {suffix!r}\n\n" + "".join(traceback.format_exception(error)),
                encoding="utf-8",
            )

    def run_one(self, number: int, suffix: str, data: bytes) -> None:
        from feedback.loaders import load_file

        name = self.work / f"input{suffix}"
        result = self.call("detect", suffix, data, load_file, name, data=data)
        forced = self.formats[number % len(self.formats)]
        self.call(f"loader {forced}", suffix, data, load_file, name, format=forced, data=data)
        if result is not None and number % self.report_every == 0 and len(result.items):
            self.call("report", suffix, data, self._report, name, data, result)

    def _report(self, name: Path, data: bytes, result) -> None:
        from feedback.io import staged_folder
        from feedback.loaders import load_inputs
        from feedback.privacy import Pseudonymiser, anonymise_tables
        from feedback.report import ReportOptions, build_report, render_markdown, write_report

        if self.model is None:
            from feedback.classifier import default_model

            self.model = default_model()
        participants = result.participants
        anonymise_tables(result.items, participants, Pseudonymiser(), min_group=3)
        path = self.work / "in" / name.name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        webinars = load_inputs([path])
        report = build_report(webinars, model=self.model, options=ReportOptions())
        render_markdown(report)
        with staged_folder(self.work / "report") as folder:
            write_report(report, folder)
        for chart in report.charts.values():
            chart.figure.clear()
        self.reports += 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="inputs to generate")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--report-every", type=int, default=500,
                        help="build a report from every N-th input that loads")  # fmt: skip
    parser.add_argument("--crashes", type=Path, default=Path("fuzz-crashes"))
    parser.add_argument("--replay", type=Path, help="run the loaders on one saved input")
    parser.add_argument("--progress", type=int, default=5000, help="print progress every N")
    parser.add_argument("--limit", type=int, default=60,
                        help="seconds one call may take before it counts as a hang")  # fmt: skip
    args = parser.parse_args(argv)

    global SEEDS
    SEEDS = _seeds()
    fuzzer = Fuzzer(args.crashes, args.report_every)
    fuzzer.limit = args.limit
    if args.replay:
        data = args.replay.read_bytes()
        note = args.replay.with_suffix(".txt")
        suffix = ""
        if note.is_file():
            line = note.read_text(encoding="utf-8").splitlines()[1]
            suffix = line.split(":", 1)[1].strip().strip("'\"")
        for number in range(len(fuzzer.formats)):
            fuzzer.run_one(number, suffix, data)
        print(dict(fuzzer.outcomes))
        return 1 if fuzzer.crash_kinds else 0

    rng = random.Random(args.seed)
    started = time.perf_counter()
    done = 0
    for number, suffix, data in _inputs(args.count, rng):
        fuzzer.run_one(number, suffix, data)
        done += 1
        if done % args.progress == 0:
            calls = sum(fuzzer.outcomes.values())
            crashes = sum(fuzzer.crash_kinds.values())
            print(f"  {done:,} inputs, {calls:,} calls, {calls - crashes:,} clean, {crashes} "
                  f"crashes, {fuzzer.reports} reports, {time.perf_counter() - started:.0f} s",
                  file=sys.stderr, flush=True)  # fmt: skip
    elapsed = time.perf_counter() - started
    calls = sum(fuzzer.outcomes.values())
    crashed = sum(v for k, v in fuzzer.outcomes.items() if k.endswith("CRASH"))
    print(f"fuzzed {done:,} inputs ({len(SEEDS)} seed files, seed {args.seed}) in {elapsed:.0f} s")
    print(f"{calls:,} calls: {calls - crashed:,} handled cleanly (a result or a FeedbackError), "
          f"{crashed:,} crashed; {fuzzer.reports} reports built")  # fmt: skip
    for key in sorted(fuzzer.outcomes):
        print(f"  {key:<48} {fuzzer.outcomes[key]:>8,}")
    for kind, n in fuzzer.crash_kinds.most_common():
        print(f"  crash: {kind} x{n}")
    return 1 if crashed else 0


SEEDS: list[tuple[str, bytes]] = []

if __name__ == "__main__":
    sys.exit(main())
