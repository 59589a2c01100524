"""Measure question detection on labelled chats: precision, recall, F1 and the session split.

Each file is a CSV with the columns ``text``, ``is_question`` (0 or 1) and ``kind``
(``session`` or ``topic`` for questions). Without arguments the labelled chats in
``tests/data/questions/`` are measured: the independent evaluation set
(``chats.csv``) and the two development sets the rules were written against.

Run it from the repository root::

    python scripts/evaluate_questions.py
    python scripts/evaluate_questions.py my_labelled_chat.csv
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from feedback.analysis.questions import score_questions

DEFAULT = [
    Path("tests/data/questions/chats.csv"),
    Path("tests/data/questions/chats2.csv"),
    Path("tests/data/questions/dev.csv"),
    Path("tests/data/questions/dev2.csv"),
]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=DEFAULT)
    args = parser.parse_args(argv)
    print("| file | messages | questions | precision | recall | F1 | session/topic right |")
    print("|---|---|---|---|---|---|---|")
    for path in args.files:
        labelled = pd.read_csv(path, dtype={"text": str, "kind": str}, keep_default_na=False)
        s = score_questions(labelled)
        print(
            f"| {path.name} | {s['messages']} | {s['questions']} | {s['precision']:.3f} | "
            f"{s['recall']:.3f} | {s['f1']:.3f} | {s['split_accuracy']:.3f} "
            f"(of {s['split_checked']}) |"
        )


if __name__ == "__main__":
    main()
