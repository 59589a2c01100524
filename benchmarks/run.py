"""Speed and memory figures of ``feedback``: one command, one table.

Run from the repository root::

    /work/venv/bin/python benchmarks/run.py            # full run (several minutes)
    /work/venv/bin/python benchmarks/run.py --quick    # smaller sizes, a smoke run
    /work/venv/bin/python benchmarks/run.py --only tag # one benchmark (load|tag|report|help)

Every measurement runs in its own child process so that peak memory figures do not
mix; inputs are generated with fixed random seeds into a temporary directory that is
removed at the end (nothing is written into the repository). The default model is
cached in a temporary ``FEEDBACK_CACHE_DIR`` so that the figures do not depend on the
user's own cache. See ``benchmarks/README.md`` for what each figure means.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

SEED = 20260312

# -- sizes ---------------------------------------------------------------------------------------
FULL = {
    "load_messages": 1_000_000,
    "tag_comments": 100_000,
    "report_messages": 100_000,
    "report_runs": 3,
    "help_runs": 10,
    "load_timeout": 420,
    "report_timeout": 180,
    "archive_webinars": 200,
    "archive_messages": 500,
    "archive_timeout": 900,
}
QUICK = {
    "load_messages": 50_000,
    "tag_comments": 10_000,
    "report_messages": 2_000,
    "report_runs": 1,
    "help_runs": 3,
    "load_timeout": 120,
    "report_timeout": 120,
    "archive_webinars": 10,
    "archive_messages": 100,
    "archive_timeout": 300,
}

# -- targets -------------------------------------------------------------------------------------
LOAD_RATIO_MAX = 5.0
LOAD_WRITE_RATIO_MAX = 3.0
LOAD_PEAK_MAX_MB = 2048.0
TAG_RATE_MIN = 50_000.0
TAG_UNIQUE_MIN = 0.9
#: The first run with an empty model cache may take at most this much longer than the next.
FIRST_RUN_EXTRA_MAX_S = 2.0
REPORT_SAMPLE_MAX_S = 5.0
#: The sample report against the import floor (``import pandas, matplotlib.pyplot``).
REPORT_FLOOR_RATIO_MAX = 3.0
#: A series report over the archive against one of its webinars' report, and its memory.
ARCHIVE_RATIO_MAX = 20.0
ARCHIVE_PEAK_MAX_MB = 2048.0
REPORT_CHAT_MAX_S = 60.0
HELP_MAX_S = 0.3
IMPORT_MAX_S = 0.3

BENCHMARKS = ("load", "tag", "report", "archive", "help")


# ================================================================================================
# Deterministic inputs
# ================================================================================================
_FIRST_NAMES = (
    "Aisha",
    "Alun",
    "Amara",
    "Anders",
    "Angharad",
    "Anil",
    "Aoife",
    "Beatriz",
    "Bronwen",
    "Callum",
    "Carys",
    "Chidi",
    "Chloé",
    "Dafydd",
    "Deepa",
    "Declan",
    "Eilidh",
    "Emeka",
    "Esther",
    "Fatima",
    "Fergus",
    "Fionnuala",
    "Gareth",
    "Grace",
    "Hamish",
    "Hannah",
    "Ifeoma",
    "Imogen",
    "Isla",
    "Jakub",
    "Jasmine",
    "Joaquín",
    "Kavya",
    "Kemi",
    "Kieran",
    "Lars",
    "Leila",
    "Lowri",
    "Maelle",
    "Magnus",
    "Malik",
    "Mared",
    "Mateo",
    "Morag",
    "Niamh",
    "Nkechi",
    "Olu",
    "Orla",
    "Priyanka",
    "Rahul",
    "Rhian",
    "Rosa",
    "Ruairí",
    "Saoirse",
    "Sione",
    "Tegan",
    "Tomás",
    "Yusuf",
    "Zainab",
    "Zoë",
)
_LAST_NAMES = (
    "Abbott",
    "Adeyemi",
    "Ahmed",
    "Banerjee",
    "Baptiste",
    "Blackwood",
    "Brennan",
    "Castellano",
    "Chaudhry",
    "Dalgleish",
    "Delaney",
    "Eriksen",
    "Fairbairn",
    "Faulkner",
    "Gallagher",
    "Gunawardena",
    "Haddad",
    "Hargreaves",
    "Iqbal",
    "Jankowski",
    "Jenkins",
    "Kaur",
    "Kowalczyk",
    "Lindqvist",
    "Llewellyn",
    "MacAulay",
    "McAllister",
    "Mensah",
    "Morgan-Price",
    "Nakamura",
    "Nwosu",
    "O'Donnell",
    "Okafor",
    "Osei",
    "Pellegrini",
    "Quigley",
    "Rasmussen",
    "Rees-Evans",
    "Sandoval",
    "Sethi",
    "Sørensen",
    "Tahir",
    "Thorne",
    "Urquhart",
    "Vasquez",
    "Wainwright",
    "Whitlock",
    "Yamamoto",
    "Zielinski",
    "Ó Briain",
)

_SENTENCES = (
    "Good morning everyone, joining from a rainy Swansea",
    "Hello from the community nursing team in Dundee",
    "Can everyone else hear the presenter? My audio keeps dropping",
    "Audio is fine for me now, thanks",
    "Could you share the slides after the session please?",
    "Will the recording be available to people who could not make it today?",
    "We tried something very similar on our frailty ward last winter",
    "The hardest part for us was keeping the momentum once the project team moved on",
    "Our board loves a pilot but never funds the second year",
    "That point about local relationships really resonates with our experience",
    "Is there any evidence that this approach works outside acute settings?",
    "How did you get buy-in from the GP practices at the start?",
    "Love the idea of a learning system rather than a rollout plan",
    "We found that data without a story behind it changed nobody's mind",
    "Patients on our panel asked for exactly this two years ago",
    "Great to see social care included in the conversation for once",
    "How long did it take before you saw any change in the numbers?",
    "The spreadsheet we inherited had forty tabs and nobody knew who owned it",
    "Time to think is the scarcest resource on our unit",
    "Our improvement coaches are funded until March and then who knows",
    "Really helpful framing, thank you",
    "Could the speaker say more about how they handled staff turnover?",
    "Same problem here, the rota drives everything",
    "I would add that pharmacy colleagues are often left out of these conversations",
    "We co-designed the leaflet with carers and it was twice as good",
    "Is the toolkit free to use for charities?",
    "Sorry, I have to drop off for a clinic, will catch the recording",
    "Does anyone have a template for the stakeholder map?",
    "Our digital team built a dashboard that nobody opened after week two",
    "Brilliant session so far",
    "What would you do differently if you started again tomorrow?",
    "The regulator visit pushed everything else off the agenda for months",
    "We are a tiny hospice team so scale looks very different for us",
    "Is anyone else finding the chat moving too fast to follow?",
    "Agree with the previous comment about protected time",
    "Link to the report mentioned earlier would be great",
    "In our region the ambulance handover delays dominate every meeting",
    "The community hubs model worked because the receptionists were involved from day one",
    "Our staff survey said people felt consulted but not listened to",
    "How do you measure success when the outcome takes five years to show?",
    "We used run charts on the ward noticeboard and people actually looked at them",
    "Our finance director asks for a business case before any small test of change",
    "Can you recommend any reading on spreading innovation between sites?",
    "Joining late, apologies, school run chaos",
    "The volunteers were the secret ingredient in our discharge project",
    "We underestimated how much training the new system would need",
    "Mental health services were an afterthought in our integrated care plan",
    "That slide with the three horizons is going straight into my team meeting",
    "Could you repeat the name of the framework you mentioned?",
    "Our population is very rural so travel time changes everything",
    "Leadership turnover killed two of our best projects",
    "It helps when the executive sponsor actually turns up to the huddles",
    "Patient stories opened more doors than any metric we produced",
    "Does this work in primary care where every practice is its own business?",
    "We shared failures openly at our learning event and attendance doubled",
    "Thank you for being honest about what did not work",
    "Are there plans for a follow-up session on evaluation?",
    "We copied another trust's model exactly and it flopped",
    "Our interpreters were essential for reaching the communities we serve",
    "I think the real issue is the gap between policy and the frontline",
    "Adding my voice to the request for the slides",
    "The waiting list initiative made things worse for the people with the greatest need",
    "Can I ask how you dealt with information governance when sharing data?",
    "Lovely to see so many familiar names in the chat",
    "Our network meets monthly and shares a single improvement log",
    "Front door redesign cut our waits by a third but we could not sustain it",
    "Which outcomes did the commissioners actually care about?",
    "Housing colleagues turned out to be the key partners for us",
    "I am a student nurse and this is really eye-opening",
    "Our paediatric team ran the same test in half the time with half the staff",
    "Someone should write a book about all the pilots that never scaled",
    "The reporting burden alone eats a day a week of my time",
    "We need to stop calling people hard to reach when our services are hard to reach",
    "The quality team and the operations team rarely sit in the same room",
    "Good afternoon from Auckland, it is very late here",
    "Is there a community of practice we can join?",
    "Managers need permission to stop doing things, not just start new ones",
    "Our new electronic record doubled the clicks for every discharge",
    "Curious whether anyone has tried this with dental services",
    "Physiotherapy led the change in our hospital and it stuck",
    "My microphone is not working so I will type my question here",
    "The evaluation partner joined too late to shape the design",
    "We had no baseline data, which made the impact story very hard to tell",
    "Is it ok to share this with colleagues who were not invited?",
    "Trust grows slowly and disappears in one bad meeting",
    "Coffee in hand and ready to learn",
    "Our carers forum asked for evening sessions so working carers can attend",
    "What role did the patients play in the final decision?",
    "The biggest barrier was that every service had a different referral form",
    "We ran out of money just as the results started to look promising",
    "Please can we have captions switched on?",
    "The peer review visits were more useful than any audit",
    "In Scotland the structures are different, so some of this does not translate",
    "Our social prescribers have waiting lists of their own now",
    "A shared language for improvement helped more than any tool",
    "How did you protect the time of the clinicians involved?",
    "Thanks all, great discussion today",
    "See you at the next one",
    "Has anyone costed the time spent on meetings about meetings?",
)
_OPENERS = (
    "Honestly,",
    "Quick question:",
    "Just to add,",
    "For what it's worth,",
    "Building on that,",
    "From a GP perspective,",
    "From the patient side,",
    "As a manager,",
    "In my experience,",
    "Agree -",
    "Hmm,",
    "To be fair,",
)
_TAILS = (
    "😊",
    "👍",
    "!",
    "...",
    "🙏",
    "(sorry for typos)",
    "- anyone else?",
    "😂",
    "👏",
)
_SHORT = ("+1", "Yes!", "Agreed", "Thanks!", "👍", "Same here", "Great point", "lol", "Hi all")
_REACTIONS = ("👍", "👍", "👍", "👍", "❤️", "😂", "👏", "👍🏻", "🎉")


def invented_names(rng: random.Random, count: int = 300) -> list[str]:
    """``count`` distinct invented full names."""
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}"
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def sentence_pool(rng: random.Random) -> list[str]:
    """A few hundred varied sentences: the base ones plus opener/tail variants."""
    pool = list(_SENTENCES)
    for sentence in _SENTENCES:
        for _ in range(2):
            variant = sentence
            if rng.random() < 0.7:
                variant = f"{rng.choice(_OPENERS)} {variant[0].lower()}{variant[1:]}"
            if rng.random() < 0.5:
                variant = f"{variant} {rng.choice(_TAILS)}"
            pool.append(variant)
    return list(dict.fromkeys(pool))


@dataclass
class ChatCounts:
    """What was written into a generated chat."""

    messages: int = 0
    direct: int = 0
    reactions: int = 0
    multiline: int = 0
    lines: int = 0
    bytes: int = 0
    unique_texts: int = 0
    authors: set = field(default_factory=set)


def write_zoom_chat(
    path: Path, messages: int, *, seed: int = SEED, csv_path: Path | None = None
) -> ChatCounts:
    """Write a Zoom two-line saved chat of ``messages`` messages (and the same as CSV).

    About 2% are direct messages, 3% reactions to a recent message (the first 20
    characters of its text and ``...``) and 2% have a body of several lines; times
    increase by 0 to 5 seconds per message and wrap past midnight.
    """
    rng = random.Random(seed)
    names = invented_names(rng)
    pool = sentence_pool(rng)
    counts = ChatCounts()
    recent: deque[str] = deque(maxlen=40)
    seconds = 9 * 3600
    steps = (0, 0, 1, 1, 1, 2, 2, 3, 5)
    texts: set[str] = set()
    out: list[str] = []
    rows: list[tuple[str, str, str, str]] = []
    chat = path.open("w", encoding="utf-8", newline="")
    table = csv_path.open("w", encoding="utf-8", newline="") if csv_path else None
    writer = csv.writer(table) if table else None
    if writer:
        writer.writerow(("time", "author", "recipient", "text"))
    try:
        for _ in range(messages):
            seconds += rng.choice(steps)
            clock = seconds % 86400
            stamp = f"{clock // 3600:02d}:{clock // 60 % 60:02d}:{clock % 60:02d}"
            author = rng.choice(names)
            roll = rng.random()
            recipient = "Everyone"
            if roll < 0.02:
                recipient = rng.choice(names)
                while recipient == author:
                    recipient = rng.choice(names)
                header_to = f"{recipient}(Direct Message)"
                counts.direct += 1
            else:
                header_to = recipient
            if 0.02 <= roll < 0.05 and recent:
                target = rng.choice(recent)
                snippet = target if len(target) <= 20 else target[:20] + "..."
                body = [f'Reacted to "{snippet}" with {rng.choice(_REACTIONS)}']
                counts.reactions += 1
            elif 0.05 <= roll < 0.07:
                body = rng.sample(pool, rng.randint(2, 4))
                counts.multiline += 1
            else:
                kind = rng.random()
                if kind < 0.08:
                    body = [rng.choice(_SHORT)]
                elif kind < 0.75:
                    body = [rng.choice(pool)]
                else:
                    body = [f"{rng.choice(pool)}. {rng.choice(pool)}"]
                if recipient == "Everyone":
                    recent.append(body[0])
            text = "\n".join(body)
            texts.add(text)
            counts.messages += 1
            counts.authors.add(author)
            out.append(f"{stamp} From {author} to {header_to}:\n")
            out.extend(f"\t{line}\n" for line in body)
            counts.lines += 1 + len(body)
            if writer:
                rows.append((stamp, author, recipient, text))
            if len(out) >= 50_000:
                chat.write("".join(out))
                out.clear()
                if writer:
                    writer.writerows(rows)
                    rows.clear()
        chat.write("".join(out))
        if writer:
            writer.writerows(rows)
    finally:
        chat.close()
        if table:
            table.close()
    counts.unique_texts = len(texts)
    counts.bytes = path.stat().st_size
    return counts


def _halves(text: str) -> tuple[str, str]:
    words = text.split()
    cut = max(1, len(words) // 2)
    return " ".join(words[:cut]), " ".join(words[cut:])


def tag_texts(texts: list[str], count: int, *, seed: int = SEED) -> list[str]:
    """``count`` comments: held-out texts, recombined halves and light variations."""
    rng = random.Random(seed)
    firsts, seconds = zip(*(_halves(t) for t in texts if t.strip()), strict=True)
    seconds = [s for s in seconds if s]
    out = []
    for _ in range(count):
        # One in twenty verbatim (real chats repeat themselves), the rest recombined.
        verbatim = rng.random() < 0.05
        text = rng.choice(texts) if verbatim else f"{rng.choice(firsts)} {rng.choice(seconds)}"
        variation = rng.random()
        if variation < 0.15:
            text = text.lower()
        elif variation < 0.3:
            text = f"{text} {rng.choice(_TAILS)}"
        elif variation < 0.45:
            text = f"{rng.choice(_OPENERS)} {text}"
        elif variation < 0.6:
            text = f"{rng.choice(_OPENERS)} {text} {rng.choice(_TAILS)}"
        out.append(text)
    return out


# ================================================================================================
# Child processes (one measurement each)
# ================================================================================================
def _peak_mb_self() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_load(path: str) -> dict:
    """Time ``feedback.loaders.load_file`` on one file."""
    import pandas  # noqa: F401  (imports are not part of the timed call)

    from feedback.loaders import load_file

    before = _peak_mb_self()
    started, cpu = time.perf_counter(), time.process_time()
    result = load_file(path)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    from feedback.schema import Col, Kind

    items = result.items
    from feedback.io import write_table

    with tempfile.TemporaryDirectory() as folder:
        written, write_cpu = time.perf_counter(), time.process_time()
        write_table(items, Path(folder) / "items.csv")
        written, write_cpu = time.perf_counter() - written, time.process_time() - write_cpu
    return {
        "seconds": elapsed,
        "cpu": cpu,
        "write_seconds": written,
        "write_cpu": write_cpu,
        "format": result.format,
        "items": len(items),
        "reactions": int((items[Col.KIND] == Kind.REACTION).sum()),
        "private": int(items[Col.IS_PRIVATE].sum()),
        "skipped": len(result.skipped),
        "baseline_mb": before,
        "peak_mb": _peak_mb_self(),
    }


def child_read_csv(path: str) -> dict:
    """Time ``pandas.read_csv`` on the same messages."""
    import pandas as pd

    before = _peak_mb_self()
    started, cpu = time.perf_counter(), time.process_time()
    frame = pd.read_csv(path)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        "seconds": elapsed,
        "cpu": cpu,
        "rows": len(frame),
        "baseline_mb": before,
        "peak_mb": _peak_mb_self(),
    }


def child_tag(count: str) -> dict:
    """Time ``feedback.analysis.tag_items`` on ``count`` generated comments."""
    from feedback.analysis import tag_items
    from feedback.classifier import bundled_heldout_data, default_model
    from feedback.schema import Col, Kind, items_from_records

    heldout = bundled_heldout_data()["text"].astype(str).tolist()
    texts = tag_texts(heldout, int(count))
    rng = random.Random(SEED)
    names = invented_names(rng)
    started = time.perf_counter()
    items = items_from_records(
        [
            {
                Col.ITEM_ID: f"c{i}",
                Col.KIND: Kind.CHAT,
                Col.AUTHOR: names[i % len(names)],
                Col.TEXT: text,
                Col.LINE: i + 1,
            }
            for i, text in enumerate(texts)
        ]
    )
    build_seconds = time.perf_counter() - started
    started = time.perf_counter()
    model = default_model()
    model_seconds = time.perf_counter() - started
    # Warm the lazy parts (stemmer, VADER lexicon) on a few texts: one-off costs.
    started = time.perf_counter()
    tag_items(items.head(50), model)
    warm_seconds = time.perf_counter() - started
    import resource

    def cpu_now() -> float:
        # This process and its finished children: tag_items tags big tables in worker
        # processes, whose CPU time process_time() alone would miss.
        own = time.process_time()
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own + children.ru_utime + children.ru_stime

    started, cpu = time.perf_counter(), cpu_now()
    tagged = tag_items(items, model)
    elapsed, cpu = time.perf_counter() - started, cpu_now() - cpu
    return {
        "seconds": elapsed,
        "cpu": cpu,
        "comments": len(items),
        "unique": len(set(texts)),
        "labelled": int((tagged[Col.LABELS] != "").sum()),
        "build_seconds": build_seconds,
        "model_seconds": model_seconds,
        "warm_seconds": warm_seconds,
        "peak_mb": _peak_mb_self(),
    }


def child_first_model(cache_dir: str) -> dict:
    """Time getting the default model and tagging a few comments, with ``cache_dir``."""
    os.environ["FEEDBACK_CACHE_DIR"] = cache_dir
    started = time.perf_counter()
    from feedback.analysis import tag_items
    from feedback.classifier import default_model
    from feedback.schema import Col, Kind, items_from_records

    model = default_model()
    items = items_from_records(
        [{Col.ITEM_ID: "c1", Col.KIND: Kind.CHAT, Col.TEXT: "Can we have the slides please?"}]
    )
    tagged = tag_items(items, model)
    return {
        "seconds": time.perf_counter() - started,
        "labels": tagged[Col.LABELS].tolist(),
        "cached": len(os.listdir(cache_dir)),
    }


CHILDREN = {
    "load": child_load,
    "read_csv": child_read_csv,
    "tag": child_tag,
    "first_model": child_first_model,
}


# ================================================================================================
# Running children
# ================================================================================================
@dataclass
class Run:
    """One finished child process: wall and CPU time, peak RSS, output."""

    seconds: float
    cpu: float
    peak_mb: float
    returncode: int
    stdout: str
    stderr: str
    timed_out: bool = False

    def result(self) -> dict:
        """The JSON the child printed last (for our own children)."""
        for line in reversed(self.stdout.splitlines()):
            if line.startswith("{"):
                return json.loads(line)
        raise RuntimeError("the child printed no result")

    def error(self) -> str:
        """A one-line account of a failed run."""
        if self.timed_out:
            return f"stopped after {self.seconds:.0f} s (time limit){self.where()}"
        tail = (self.stderr or self.stdout).strip().splitlines()[-6:]
        return f"exit {self.returncode}: " + " | ".join(tail)

    def where(self) -> str:
        """Where a stopped run was, from the traceback faulthandler wrote on SIGABRT."""
        frames = [
            line.strip()
            for line in self.stderr.splitlines()
            if line.strip().startswith("File ") and "/feedback/" in line
        ]
        if not frames:
            return ""
        # faulthandler lists the innermost call first; keep the library's own frames.
        return "; it was in " + " <- ".join(_short_frame(f) for f in frames[:4])


def _short_frame(line: str) -> str:
    """``File "/x/feedback/analysis.py", line 372 in f`` as ``analysis.py:372 f``."""
    path, _, rest = line.partition('", line ')
    number, _, function = rest.partition(" in ")
    return f"{path.split('/feedback/')[-1]}:{number} {function}"


def run_measured(command: list[str], *, cwd: Path, env: dict, timeout: float = 600) -> Run:
    """Run ``command``: wall time, CPU time and peak RSS of this child alone (``wait4``).

    The child gets its own process group; past ``timeout`` seconds it is sent SIGABRT
    (with ``PYTHONFAULTHANDLER`` set, a Python child then prints where it was), and a
    moment later that group (the child and anything it started) is killed; the run is
    marked ``timed_out``.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=out, stderr=err, start_new_session=True
        )
        timed_out = threading.Event()

        def stop() -> None:
            timed_out.set()
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, signal.SIGABRT)
                time.sleep(2)
                os.killpg(process.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, stop)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(
            seconds=elapsed,
            cpu=usage.ru_utime + usage.ru_stime,
            peak_mb=usage.ru_maxrss / 1024,
            returncode=process.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            timed_out=timed_out.is_set(),
        )


def run_child(name: str, *args: str, ctx: Context, timeout: float = 600) -> Run:
    """Run one of :data:`CHILDREN` in a fresh interpreter."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", name, *args]
    return run_measured(command, cwd=ctx.tmp, env=ctx.env, timeout=timeout)


def feedback_command() -> list[str]:
    """The ``feedback`` console script next to this interpreter (or ``python -m feedback``)."""
    script = Path(sys.executable).parent / "feedback"
    if script.is_file():
        return [str(script)]
    found = shutil.which("feedback")
    return [found] if found else [sys.executable, "-m", "feedback"]


# ================================================================================================
# The table
# ================================================================================================
@dataclass
class Row:
    """One printed figure."""

    bench: str
    figure: str
    value: str
    cpu: str = ""
    target: str = ""
    ok: bool | None = None  # None: informational

    @property
    def status(self) -> str:
        """PASS, FAIL, or nothing for a figure without a target."""
        return "" if self.ok is None else ("PASS" if self.ok else "FAIL")


@dataclass
class Context:
    """Shared state of one benchmark run."""

    tmp: Path
    env: dict
    sizes: dict
    rows: list[Row] = field(default_factory=list)
    errors: int = 0

    def add(
        self,
        bench: str,
        figure: str,
        value: str,
        *,
        cpu: float | None = None,
        target: str = "",
        ok: bool | None = None,
    ) -> None:
        """Record a figure and print it at once (the table comes at the end)."""
        row = Row(bench, figure, value, "" if cpu is None else _fmt_s(cpu), target, ok)
        self.rows.append(row)
        line = f"  {row.figure}: {row.value}"
        if row.cpu:
            line += f" (CPU {row.cpu})"
        if row.target:
            line += f"  [target {row.target}: {row.status}]"
        print(line, flush=True)

    def fail(self, bench: str, figure: str, message: str, target: str = "") -> None:
        """Record a benchmark that could not run (or ran out of time)."""
        self.errors += 1
        self.add(bench, figure, "ERROR", target=target, ok=False)
        print(f"    {message}", flush=True)


def _fmt_s(seconds: float) -> str:
    return f"{seconds:.3f} s" if seconds < 1 else f"{seconds:.2f} s"


def _fmt_mb(mb: float) -> str:
    return f"{mb:,.0f} MB"


def print_table(rows: list[Row]) -> None:
    """The figures as an aligned text table."""
    headers = ("benchmark", "figure", "wall / value", "CPU", "target", "result")
    table = [headers] + [(r.bench, r.figure, r.value, r.cpu, r.target, r.status) for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(headers))]
    right = (False, False, True, True, False, False)
    print()
    for number, row in enumerate(table):
        cells = [
            c.rjust(w) if r else c.ljust(w) for c, w, r in zip(row, widths, right, strict=True)
        ]
        print("  ".join(cells).rstrip())
        if number == 0:
            print("  ".join("-" * w for w in widths))


# ================================================================================================
# Benchmarks
# ================================================================================================
def bench_load(ctx: Context) -> None:
    """load_file on a big two-line Zoom chat against pandas.read_csv on the same messages."""
    n = ctx.sizes["load_messages"]
    print(f"\n[load] generating a Zoom two-line chat of {n:,} messages and the same as CSV")
    chat = ctx.tmp / "load" / "meeting_saved_chat.txt"
    table = ctx.tmp / "load" / "messages.csv"
    chat.parent.mkdir()
    started = time.perf_counter()
    counts = write_zoom_chat(chat, n, csv_path=table)
    print(
        f"  {counts.messages:,} messages ({counts.direct:,} direct, {counts.reactions:,} "
        f"reactions, {counts.multiline:,} multi-line), {len(counts.authors)} authors, "
        f"{counts.unique_texts:,} distinct texts, {counts.lines:,} lines, "
        f"{counts.bytes / 1e6:.0f} MB; CSV {table.stat().st_size / 1e6:.0f} MB "
        f"(generated in {time.perf_counter() - started:.1f} s)",
        flush=True,
    )
    ratio_target = f"<= {LOAD_RATIO_MAX:g}x"
    read = run_child("read_csv", str(table), ctx=ctx)
    if read.returncode:
        ctx.fail("load", "pandas.read_csv", read.error())
        return
    ref = read.result()
    ctx.add(
        "load",
        f"pandas.read_csv, same {ref['rows']:,} msgs",
        _fmt_s(ref["seconds"]),
        cpu=ref["cpu"],
    )
    ctx.add("load", "peak RSS, read_csv child", _fmt_mb(read.peak_mb))
    limit = ctx.sizes["load_timeout"]
    loaded = run_child("load", str(chat), ctx=ctx, timeout=limit)
    if loaded.returncode:
        ctx.fail("load", f"load_file, {n:,} msgs", loaded.error())
        if loaded.timed_out:
            ctx.add(
                "load",
                "load_file / read_csv",
                f"> {limit / ref['seconds']:.0f}x",
                target=ratio_target,
                ok=False,
            )
        return
    got = loaded.result()
    if got["items"] != counts.messages or got["private"] != counts.direct:
        print(
            f"  note: load_file returned {got['items']:,} items ({got['private']:,} private, "
            f"{got['reactions']:,} reactions, {got['skipped']} skipped lines) for "
            f"{counts.messages:,} messages written ({counts.direct:,} direct, "
            f"{counts.reactions:,} reactions)"
        )
    ctx.add(
        "load", f"load_file, {n:,} msgs ({got['format']})", _fmt_s(got["seconds"]), cpu=got["cpu"]
    )
    ratio = got["seconds"] / ref["seconds"]
    ctx.add(
        "load",
        "load_file / read_csv (wall)",
        f"{ratio:.1f}x",
        target=ratio_target,
        ok=ratio <= LOAD_RATIO_MAX,
    )
    ctx.add("load", "load_file / read_csv (CPU)", f"{got['cpu'] / ref['cpu']:.1f}x")
    ctx.add("load", "write_table, items CSV", _fmt_s(got["write_seconds"]), cpu=got["write_cpu"])
    both = (got["seconds"] + got["write_seconds"]) / ref["seconds"]
    ctx.add(
        "load",
        "load + write / read_csv (wall)",
        f"{both:.1f}x",
        target=f"<= {LOAD_WRITE_RATIO_MAX:g}x",
        ok=both <= LOAD_WRITE_RATIO_MAX,
    )
    ctx.add("load", "load_file rate", f"{got['items'] / got['seconds']:,.0f} msgs/s")
    ctx.add(
        "load",
        "peak RSS, load_file child",
        _fmt_mb(loaded.peak_mb),
        target=f"< {_fmt_mb(LOAD_PEAK_MAX_MB)}",
        ok=loaded.peak_mb < LOAD_PEAK_MAX_MB,
    )
    shutil.rmtree(chat.parent, ignore_errors=True)


def bench_tag(ctx: Context) -> None:
    """tag_items on many varied comments with the default model."""
    n = ctx.sizes["tag_comments"]
    print(f"\n[tag] tag_items on {n:,} comments (default model; getting the model is not timed)")
    run = run_child("tag", str(n), ctx=ctx)
    if run.returncode:
        ctx.fail("tag", "tag_items", run.error())
        return
    got = run.result()
    rate = got["comments"] / got["seconds"]
    print(
        f"  default_model() took {got['model_seconds']:.1f} s (loaded from the cache, or "
        f"trained and cached on first use; excluded); warm-up on 50 comments "
        f"{got['warm_seconds']:.2f} s and building the items table {got['build_seconds']:.2f} s "
        f"(both excluded); {got['labelled']:,} comments got at least one code",
        flush=True,
    )
    ctx.add(
        "tag", f"tag_items, {got['comments']:,} comments", _fmt_s(got["seconds"]), cpu=got["cpu"]
    )
    ctx.add(
        "tag",
        "tag_items rate (wall)",
        f"{rate:,.0f} /s",
        target=f">= {TAG_RATE_MIN:,.0f} /s",
        ok=rate >= TAG_RATE_MIN,
    )
    ctx.add("tag", "tag_items rate (CPU)", f"{got['comments'] / got['cpu']:,.0f} /s")
    unique = got["unique"] / got["comments"]
    ctx.add(
        "tag",
        "unique texts in input",
        f"{unique:.1%}",
        target=f">= {TAG_UNIQUE_MIN:.0%}",
        ok=unique >= TAG_UNIQUE_MIN,
    )
    ctx.add("tag", "peak RSS, tag child", _fmt_mb(run.peak_mb))
    # First run after install: the model comes with the package, so an empty cache costs
    # (almost) nothing more than the next run.
    cache = ctx.tmp / "first-run-cache"
    cache.mkdir(exist_ok=True)
    first = run_child("first_model", str(cache), ctx=ctx)
    second = run_child("first_model", str(cache), ctx=ctx)
    if first.returncode or second.returncode:
        ctx.fail("tag", "first run, empty cache", (first if first.returncode else second).error())
        return
    first_s, second_s = first.result()["seconds"], second.result()["seconds"]
    print(
        f"  a new process getting the default model and tagging one comment: "
        f"{first_s:.2f} s with an empty cache, {second_s:.2f} s the next time",
        flush=True,
    )
    ctx.add(
        "tag",
        "first run: model with an empty cache",
        _fmt_s(first_s),
        target=f"<= next run + {FIRST_RUN_EXTRA_MAX_S:g} s",
        ok=first_s <= second_s + FIRST_RUN_EXTRA_MAX_S,
    )
    ctx.add("tag", "next run: model", _fmt_s(second_s))


def bench_report(ctx: Context) -> None:
    """The report command on the bundled sample and on a big generated chat."""
    runs = ctx.sizes["report_runs"]
    command = feedback_command()
    target = f"< {REPORT_SAMPLE_MAX_S:g} s"
    print(f"\n[report] feedback report on the bundled sample (warm cache, median of {runs})")
    warm = run_measured(
        [*command, "report", "--out", str(ctx.tmp / "report-warm")], cwd=ctx.tmp, env=ctx.env
    )
    if warm.returncode:
        ctx.fail("report", "report on sample", warm.error(), target)
    else:
        print(f"  warm-up run (fills the model cache if needed): {warm.seconds:.1f} s", flush=True)
        runs_done: list[Run] = []
        for index in range(runs):
            run = run_measured(
                [*command, "report", "--out", str(ctx.tmp / f"report-{index}")],
                cwd=ctx.tmp,
                env=ctx.env,
            )
            if run.returncode:
                ctx.fail("report", "report on sample", run.error(), target)
                break
            runs_done.append(run)
        else:
            median = statistics.median(r.seconds for r in runs_done)
            ctx.add(
                "report",
                f"report on sample (median of {runs})",
                _fmt_s(median),
                cpu=statistics.median(r.cpu for r in runs_done),
                target=target,
                ok=median < REPORT_SAMPLE_MAX_S,
            )
            ctx.add(
                "report", "peak RSS, report on sample", _fmt_mb(max(r.peak_mb for r in runs_done))
            )
            floor_command = [sys.executable, "-c", "import pandas, matplotlib.pyplot"]
            run_measured(floor_command, cwd=ctx.tmp, env=ctx.env, timeout=60)
            floor, floor_cpu, error = _median_run(floor_command, max(3, runs), ctx)
            if floor < 0:
                ctx.fail("report", "import floor", error)
            else:
                ctx.add("report", "import floor (pandas, matplotlib.pyplot)", _fmt_s(floor),
                        cpu=floor_cpu)  # fmt: skip
                ratio = median / floor
                ctx.add(
                    "report",
                    "report on sample / import floor",
                    f"{ratio:.1f}x",
                    target=f"<= {REPORT_FLOOR_RATIO_MAX:g}x",
                    ok=ratio <= REPORT_FLOOR_RATIO_MAX,
                )

    n = ctx.sizes["report_messages"]
    target = f"< {REPORT_CHAT_MAX_S:g} s"
    folder = ctx.tmp / "report-chat" / "2026-03-12 10.00.00 Benchmark webinar"
    folder.mkdir(parents=True)
    chat = folder / "meeting_saved_chat.txt"
    counts = write_zoom_chat(chat, n, seed=SEED + 1)
    limit = ctx.sizes["report_timeout"]
    print(
        f"[report] feedback report on a generated chat of {counts.messages:,} messages "
        f"(stopped after {limit:g} s)",
        flush=True,
    )
    run = run_measured(
        [*command, "report", str(chat), "--out", str(ctx.tmp / "report-chat-out")],
        cwd=ctx.tmp,
        env=ctx.env,
        timeout=limit,
    )
    figure = f"report on {n:,}-msg chat"
    if run.timed_out:
        ctx.errors += 1
        ctx.add("report", figure, f"> {limit:g} s (stopped)", cpu=run.cpu, target=target, ok=False)
        print(f"    {run.error()}", flush=True)
    elif run.returncode:
        ctx.fail("report", figure, run.error(), target)
    else:
        ctx.add(
            "report",
            figure,
            _fmt_s(run.seconds),
            cpu=run.cpu,
            target=target,
            ok=run.seconds < REPORT_CHAT_MAX_S,
        )
        ctx.add("report", f"peak RSS, report on {n:,}-msg chat", _fmt_mb(run.peak_mb))


def _median_run(command: list[str], runs: int, ctx: Context) -> tuple[float, float, str]:
    """Median wall and CPU time of ``runs`` runs (wall is -1 with an error message)."""
    done = []
    for _ in range(runs):
        run = run_measured(command, cwd=ctx.tmp, env=ctx.env, timeout=60)
        if run.returncode:
            return -1.0, 0.0, run.error()
        done.append(run)
    return statistics.median(r.seconds for r in done), statistics.median(r.cpu for r in done), ""


def bench_help(ctx: Context) -> None:
    """Start-up time of the CLI and of importing the package."""
    runs = ctx.sizes["help_runs"]
    print(f"\n[help] start-up times (median of {runs} runs each, after one untimed run)")
    cases = (
        ("python -c pass (interpreter only)", [sys.executable, "-c", "pass"], None),
        ("feedback --help", [*feedback_command(), "--help"], HELP_MAX_S),
        ("python -c 'import feedback'", [sys.executable, "-c", "import feedback"], IMPORT_MAX_S),
    )
    for figure, command, limit in cases:
        run_measured(command, cwd=ctx.tmp, env=ctx.env, timeout=60)
        median, cpu, error = _median_run(command, runs, ctx)
        target = "" if limit is None else f"< {limit:g} s"
        if median < 0:
            ctx.fail("help", figure, error, target)
        elif limit is None:
            ctx.add("help", figure, _fmt_s(median), cpu=cpu)
        else:
            ctx.add("help", figure, _fmt_s(median), cpu=cpu, target=target, ok=median < limit)


def bench_archive(ctx: Context) -> None:
    """A series report over an archive of generated webinars, against one of them."""
    count, size = ctx.sizes["archive_webinars"], ctx.sizes["archive_messages"]
    limit = ctx.sizes["archive_timeout"]
    root = ctx.tmp / "archive"
    print(f"\n[archive] series report over {count} generated webinars of {size} messages each "
          f"(stopped after {limit:g} s)", flush=True)  # fmt: skip
    specs = []
    for number in range(count):
        folder = root / f"2026-{1 + number % 12:02d}-01 Webinar {number + 1:03d}"
        folder.mkdir(parents=True)
        write_zoom_chat(folder / "meeting_saved_chat.txt", size, seed=SEED + 100 + number)
        specs += ["--webinar", f"Webinar {number + 1:03d}={folder}"]
    command = feedback_command()
    one = run_measured(
        [*command, "report", *specs[:2], "--out", str(ctx.tmp / "archive-one")],
        cwd=ctx.tmp, env=ctx.env, timeout=limit,
    )  # fmt: skip
    if one.returncode:
        ctx.fail("archive", "report on one webinar", one.error())
        return
    ctx.add("archive", f"report on one {size}-msg webinar", _fmt_s(one.seconds), cpu=one.cpu)
    run = run_measured(
        [*command, "report", *specs, "--out", str(ctx.tmp / "archive-out")],
        cwd=ctx.tmp, env=ctx.env, timeout=limit,
    )  # fmt: skip
    figure = f"series report on {count} webinars"
    target = f"<= {ARCHIVE_RATIO_MAX:g}x one"
    if run.timed_out:
        ctx.errors += 1
        ctx.add("archive", figure, f"> {limit:g} s (stopped)", cpu=run.cpu, target=target,
                ok=False)  # fmt: skip
        print(f"    {run.error()}{run.where()}", flush=True)
        return
    if run.returncode:
        ctx.fail("archive", figure, run.error(), target)
        return
    ctx.add("archive", figure, _fmt_s(run.seconds), cpu=run.cpu)
    ratio = run.seconds / one.seconds
    ctx.add("archive", "series / one webinar", f"{ratio:.1f}x", target=target,
            ok=ratio <= ARCHIVE_RATIO_MAX)  # fmt: skip
    ctx.add("archive", "peak RSS, series report", _fmt_mb(run.peak_mb),
            target=f"< {_fmt_mb(ARCHIVE_PEAK_MAX_MB)}",
            ok=run.peak_mb < ARCHIVE_PEAK_MAX_MB)  # fmt: skip


RUNNERS = {
    "load": bench_load,
    "tag": bench_tag,
    "report": bench_report,
    "archive": bench_archive,
    "help": bench_help,
}


# ================================================================================================
# Entry point
# ================================================================================================
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes (a smoke run)")
    parser.add_argument(
        "--only", choices=BENCHMARKS, action="append", help="run only this benchmark (repeatable)"
    )
    parser.add_argument(
        "--fresh-cache",
        action="store_true",
        help="use an empty temporary model cache (the model is then trained "
        "once in this run, which takes minutes)",
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min)"


def main(argv: list[str] | None = None) -> int:
    """Run the selected benchmarks and print the table; 1 if a benchmark failed to run."""
    args = parse_args(argv)
    if args.child:
        name, *rest = args.child
        print(json.dumps(CHILDREN[name](*rest)))
        return 0
    sizes = QUICK if args.quick else FULL
    selected = [b for b in BENCHMARKS if not args.only or b in args.only]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="feedback-bench-") as tmp_name:
        tmp = Path(tmp_name)
        env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONFAULTHANDLER": "1"}
        if args.fresh_cache:
            (tmp / "cache").mkdir()
            env["FEEDBACK_CACHE_DIR"] = str(tmp / "cache")
        cache = env.get("FEEDBACK_CACHE_DIR") or "the user's model cache"
        ctx = Context(tmp=tmp, env=env, sizes=sizes)
        mode = "quick (smoke sizes; targets are set for the full sizes)" if args.quick else "full"
        print(
            f"feedback benchmarks, {mode}\n{os.cpu_count()} CPUs, Python "
            f"{sys.version.split()[0]}, {_load()}\nscratch {tmp}; model cache: {cache}"
        )
        for name in selected:
            try:
                RUNNERS[name](ctx)
            except Exception as error:  # a crash in one benchmark must not hide the others
                ctx.fail(name, name, f"{type(error).__name__}: {error}")
        print_table(ctx.rows)
    checked = [r for r in ctx.rows if r.ok is not None]
    print(
        f"\n{sum(1 for r in checked if not r.ok)} of {len(checked)} targets missed; "
        f"total {time.perf_counter() - started:.0f} s; {_load()}"
    )
    if os.getloadavg()[0] > (os.cpu_count() or 1):
        print("note: the machine was busy; wall times are inflated (compare the CPU column)")
    return 1 if ctx.errors else 0


if __name__ == "__main__":
    sys.exit(main())
