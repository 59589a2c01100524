"""Rebuild the default model shipped in ``src/feedback/assets/models/default_model.npz``.

Run it after changing the bundled labelled data (``assets/labelled/train_*.csv``), the
default codebook, the static embeddings or the tagger's default parameters::

    python scripts/build_default_model.py

(the same as ``feedback train --default``). The model records a fingerprint of what it
was trained from; ``tests/tagging/test_shipped_model.py`` fails while the shipped model
does not match the bundled data and codebook, and ``feedback`` would then train a model on
first use instead of using the shipped one.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from feedback.tagging.training import SHIPPED_MODEL, build_default_model

OUT = Path(__file__).resolve().parents[1] / "src" / "feedback" / "assets" / "models" / SHIPPED_MODEL


def main() -> None:
    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        print(f"\r  codes fitted: {done}/{total}", end="", file=sys.stderr, flush=True)

    model = build_default_model(OUT, progress=progress)
    print(file=sys.stderr)
    print(
        f"wrote {OUT} ({OUT.stat().st_size / 1e6:.1f} MB) "
        f"in {time.perf_counter() - started:.0f} s; "
        f"trained on {model.n_train_} comments; cross-validated micro-F1 "
        f"{model.cv_scores_['micro_f1']:.3f}, macro-F1 {model.cv_scores_['macro_f1']:.3f}; "
        f"key {model.training_key_}"
    )


if __name__ == "__main__":
    main()
