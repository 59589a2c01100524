"""How the conversation moved: messages per minute and bursts on one code."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from feedback.schema import Col

if TYPE_CHECKING:
    import pandas as pd


from feedback.analysis.tagged import labels_of, require_tagged


def messages_per_minute(conversation: pd.DataFrame) -> pd.Series:
    """Messages in each minute from the first to the last (zeros included)."""
    import pandas as pd

    times = conversation[Col.TIMESTAMP].dropna()
    if times.empty:
        return pd.Series(dtype="int64")
    minutes = times.dt.floor("min")
    counts = minutes.value_counts().sort_index()
    full = pd.date_range(minutes.min(), minutes.max(), freq="min")
    return counts.reindex(full, fill_value=0).astype("int64")


@dataclass(frozen=True)
class Burst:
    """A run of messages on one code, denser than that code's usual rate.

    Attributes
    ----------
    code : str
    start, end : pandas.Timestamp
        Times of the first and last message of the run.
    count : int
        Messages on the code between ``start`` and ``end``.
    """

    code: str
    start: object
    end: object
    count: int

    def describe(self, label: str | None = None) -> str:
        """E.g. ``failure: 9 messages in 3 minutes from 10:21``."""
        minutes = max(1, round((self.end - self.start).total_seconds() / 60))
        unit = "minute" if minutes == 1 else "minutes"
        return (
            f"{label or self.code}: {self.count} messages in {minutes} {unit} "
            f"from {self.start:%H:%M}"
        )


def find_bursts(
    conversation: pd.DataFrame,
    *,
    codes: Iterable[str] | None = None,
    window_minutes: float = 3.0,
    min_count: int = 5,
    min_ratio: float = 3.0,
    min_share: float = 0.4,
    min_volume: float = 0.75,
) -> list[Burst]:
    """Find bursts: at least ``min_count`` messages on a code within ``window_minutes``.

    A window counts only when it holds ``min_ratio`` times more messages on the code
    than the code's average rate over the whole conversation would give, and when
    the code carries at least ``min_share`` of all messages in the window (so a busy
    spell of mixed talk is not a burst), and when the code alone reaches
    ``min_volume`` times the number of messages of any kind that an average window
    holds (so a steady chat that moves from topic to topic has no bursts, while a
    quiet chat can still burst with ``min_count`` messages). Overlapping windows
    merge into one burst.

    Parameters
    ----------
    conversation : pandas.DataFrame
        Tagged public messages with timestamps.
    codes : iterable of str, optional
        Codes to look at (default: every code present).

    Returns
    -------
    list of Burst
        Ordered by start time.
    """
    import bisect

    import pandas as pd

    require_tagged(conversation, Col.TIMESTAMP)
    times_all = conversation[Col.TIMESTAMP]
    valid = times_all.notna()
    frame = conversation[valid]
    if frame.empty:
        return []
    span_minutes = max(
        window_minutes,
        (frame[Col.TIMESTAMP].max() - frame[Col.TIMESTAMP].min()).total_seconds() / 60,
    )
    lists = labels_of(frame)
    by_code: dict[str, list] = {}
    for time, labels in zip(frame[Col.TIMESTAMP], lists, strict=True):
        for label in labels:
            by_code.setdefault(label, []).append(time)
    wanted = set(codes) if codes is not None else set(by_code)
    window = pd.Timedelta(minutes=window_minutes)
    every = sorted(frame[Col.TIMESTAMP])
    average_window = len(every) * window_minutes / span_minutes
    bursts: list[Burst] = []
    for code, times in by_code.items():
        if code not in wanted or len(times) < min_count:
            continue
        times = sorted(times)
        expected = len(times) * window_minutes / span_minutes
        needed = max(min_count, min_ratio * expected, min_volume * average_window)
        spans: list[list] = []
        j = 0
        for i in range(len(times)):
            j = max(j, i)
            while j + 1 < len(times) and times[j + 1] - times[i] <= window:
                j += 1
            total = bisect.bisect_right(every, times[j]) - bisect.bisect_left(every, times[i])
            if j - i + 1 >= needed and (j - i + 1) >= min_share * total:
                if spans and times[i] <= spans[-1][1]:
                    spans[-1][1] = max(spans[-1][1], times[j])
                else:
                    spans.append([times[i], times[j]])
        for start, end in spans:
            count = sum(1 for t in times if start <= t <= end)
            bursts.append(Burst(code=code, start=start, end=end, count=count))
    return sorted(bursts, key=lambda b: (b.start, -b.count))
