"""Rendering chart PNGs in the background while the rest of the report is built.

Drawing a chart with matplotlib takes about a tenth of a second, as long as building
a whole section of the report. So a finished chart is handed to a forked child
process, which draws it into a temporary file while the parent goes on with the next
section: on a machine with two cores the charts cost little more than the building.

A figure is handed over when :meth:`Section.add_chart` keeps it, which is the last
time the report code changes it. Children are forked only on systems that can fork,
at most :data:`MAX_CHILDREN` at a time; a chart whose child failed (or that was
never handed over) is drawn in the parent by :func:`collect`, so the result is the
same either way.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Children drawing at the same time: with the parent, as many processes as two cores.
MAX_CHILDREN = 1

_ACTIVE: list[BackgroundCharts] = []


def can_fork() -> bool:
    """Whether charts can be drawn in forked children here (POSIX, two cores or more)."""
    import multiprocessing

    return (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()


class BackgroundCharts:
    """Charts drawn by forked children while the report is built, and by :meth:`finish`.

    Figures handed over wait in a queue; a child is started for the next one whenever
    fewer than :data:`MAX_CHILDREN` are drawing (checked at every hand-over, never
    waiting, so building goes on). :meth:`finish` draws what is still queued in this
    process while the children finish theirs.
    """

    def __init__(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="feedback-charts-")
        self.queue: list[Figure] = []
        self.running: dict[int, tuple[int, str]] = {}  # figure id -> (pid, path)
        self.finished: dict[int, str] = {}  # figure id -> path of a complete PNG
        self.drawn: dict[int, bytes] = {}  # figure id -> PNG drawn in this process
        self.figures: dict[int, Figure] = {}  # kept alive so that ids stay unique
        self._count = 0

    def submit(self, figure: Figure) -> None:
        """Queue ``figure`` and start children for the queue where slots are free."""
        key = id(figure)
        if key in self.figures:
            return
        self.figures[key] = figure
        self.queue.append(figure)
        self._start()

    def _start(self) -> None:
        self._reap(block=False)
        while self.queue and len(self.running) < MAX_CHILDREN:
            self._fork(self.queue.pop(0))

    def _fork(self, figure: Figure) -> None:
        self._count += 1
        path = os.path.join(self.folder, f"{self._count}.png")
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            code = 1
            try:
                from feedback.plots import png_bytes

                data = png_bytes(figure)
                with open(path + ".part", "wb") as handle:
                    handle.write(data)
                os.replace(path + ".part", path)
                code = 0
            finally:
                os._exit(code)
        self.running[id(figure)] = (pid, path)

    def _reap(self, *, block: bool) -> None:
        """Collect our children that have finished (at least one when ``block``).

        Only our own children are waited for, by pid: other children of the process
        (worker pools) must keep their exit status for their owners.
        """
        done = 0
        for key, (pid, path) in list(self.running.items()):
            try:
                child, status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                child, status = pid, -1
            if child:
                done += 1
                self._finished(key, path, status)
        if block and not done and self.running:
            key, (pid, path) = next(iter(self.running.items()))
            try:
                _, status = os.waitpid(pid, 0)
            except ChildProcessError:
                status = -1
            self._finished(key, path, status)

    def _finished(self, key: int, path: str, status: int) -> None:
        del self.running[key]
        succeeded = status == -1 or os.waitstatus_to_exitcode(status) == 0
        if succeeded and os.path.exists(path):
            self.finished[key] = path

    def finish(self) -> None:
        """Draw the queue: children where slots are free, the rest here; wait for all."""
        from feedback.plots import png_bytes

        while self.queue:
            self._start()
            if self.queue:
                figure = self.queue.pop()  # children take from the front
                self.drawn[id(figure)] = png_bytes(figure)
        while self.running:
            self._reap(block=True)

    def result(self, figure: Figure) -> bytes | None:
        """The PNG of ``figure`` once drawn, or None (never handed over, or a child failed)."""
        key = id(figure)
        if self.queue or self.running:
            self.finish()
        if key in self.drawn:
            return self.drawn[key]
        path = self.finished.get(key)
        if path is None:
            return None
        with open(path, "rb") as handle:
            return handle.read()

    def close(self) -> None:
        """Wait for every child and remove the temporary files."""
        self.queue.clear()
        while self.running:
            self._reap(block=True)
        shutil.rmtree(self.folder, ignore_errors=True)
        self.finished.clear()
        self.drawn.clear()
        self.figures.clear()


@contextlib.contextmanager
def drawing_into(background: BackgroundCharts | None) -> Iterator[None]:
    """Hand the charts kept while the block runs to ``background`` (nothing when None)."""
    if background is None:
        yield
        return
    _ACTIVE.append(background)
    try:
        yield
    finally:
        _ACTIVE.remove(background)


def hand_over(figure: Figure) -> None:
    """Start drawing ``figure`` in the background, if :func:`drawing_into` is active."""
    if _ACTIVE:
        _ACTIVE[-1].submit(figure)
