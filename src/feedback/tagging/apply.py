"""Applying a tagger to an items table: labels, scores, sentiment and the question flag."""

from __future__ import annotations

from typing import TYPE_CHECKING

from feedback.schema import Col, Kind, ResponseType, validate_items

if TYPE_CHECKING:
    import pandas as pd

    from feedback.tagging.estimator import CommentTagger


def taggable_mask(items: pd.DataFrame) -> pd.Series:
    """Rows whose text is tagged: chat, transcript, Q&A questions and free-text answers."""
    kind = items[Col.KIND]
    text_answer = (kind == Kind.ANSWER) & (items[Col.RESPONSE_TYPE] == ResponseType.TEXT)
    has_text = items[Col.TEXT].astype(str).str.strip() != ""
    return (kind.isin([Kind.CHAT, Kind.TRANSCRIPT, Kind.QUESTION]) | text_answer) & has_text


def tag_items(
    items: pd.DataFrame, model: CommentTagger, *, explain: bool = False, progress=None
) -> pd.DataFrame:
    """Tag the taggable rows of an items table.

    Each distinct text is tagged once; large tables (20,000 distinct texts or more)
    are tagged in two processes on machines with more than one core.

    Parameters
    ----------
    items : pandas.DataFrame
        An items table (extra columns are kept).
    model : CommentTagger
        A fitted tagger.
    explain : bool
        Add an ``explanation`` column (slower).
    progress : callable, optional
        Called with the number of rows done, for progress bars.

    Returns
    -------
    pandas.DataFrame
        ``items`` with ``labels`` (code ids joined by ``;``), ``scores`` (``code:prob``
        joined by ``;``), ``sentiment`` (VADER compound) and ``is_question`` (bool) added;
        rows that are not tagged (reactions, ratings, choices) get empty labels, NaN
        sentiment and ``is_question`` False.
    """
    import numpy as np
    import pandas as pd

    validate_items(items, required=(Col.KIND, Col.TEXT, Col.RESPONSE_TYPE))
    out = items.copy()
    mask = taggable_mask(out).to_numpy()
    codes, uniques = pd.factorize(out.loc[mask, Col.TEXT].astype(str))
    tagged = _tag_texts(list(uniques), model, explain=explain, progress=progress)
    positions = np.flatnonzero(mask)
    labels = np.full(len(out), "", dtype=object)
    scores = np.full(len(out), "", dtype=object)
    explanations = np.full(len(out), "", dtype=object)
    sentiments = np.full(len(out), np.nan)
    questions = np.zeros(len(out), dtype=bool)
    if len(positions):
        labels[positions] = np.asarray(tagged["labels"], dtype=object)[codes]
        scores[positions] = np.asarray(tagged["scores"], dtype=object)[codes]
        sentiments[positions] = np.asarray(tagged["sentiment"], dtype=float)[codes]
        questions[positions] = np.asarray(tagged["is_question"], dtype=bool)[codes]
        if explain:
            explanations[positions] = np.asarray(tagged["explanation"], dtype=object)[codes]
    out[Col.LABELS] = labels
    out[Col.SCORES] = scores
    out[Col.SENTIMENT] = sentiments
    out[Col.IS_QUESTION] = questions
    if explain:
        out[Col.EXPLANATION] = explanations
    return out


#: Distinct texts from which tagging is split over two processes.
PARALLEL_FROM = 20_000
_WORK: dict = {}


def _tag_texts(texts: list[str], model, *, explain: bool, progress=None) -> dict[str, list]:
    """Labels, scores, sentiment, question flag (and explanation) of each text."""
    import multiprocessing
    import os

    chunk = 5000
    bounds = [(start, min(start + chunk, len(texts))) for start in range(0, len(texts), chunk)]
    parts: list[dict[str, list]] = []
    parallel = (
        len(texts) >= PARALLEL_FROM
        and (os.cpu_count() or 1) > 1
        and "fork" in multiprocessing.get_all_start_methods()
        and not explain
    )
    if parallel:
        # Forked workers share the model and texts; only results travel back.
        _WORK.update(model=model, texts=texts, explain=explain)
        try:
            with multiprocessing.get_context("fork").Pool(2, initializer=_one_blas_thread) as pool:
                for done, part in enumerate(pool.imap(_tag_bounds, bounds), start=1):
                    parts.append(part)
                    if progress is not None:
                        progress(bounds[done - 1][1])
        finally:
            _WORK.clear()
    else:
        for start, end in bounds:
            parts.append(_tag_chunk(texts[start:end], model, explain))
            if progress is not None:
                progress(end)
    merged: dict[str, list] = {"labels": [], "scores": [], "sentiment": [], "is_question": [],
                               "explanation": []}  # fmt: skip
    for part in parts:
        for key in merged:
            merged[key].extend(part[key])
    return merged


def _one_blas_thread() -> None:
    """In a worker: numpy's BLAS on one thread (two workers already fill two cores)."""
    import contextlib

    with contextlib.suppress(ImportError):
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)


def _tag_bounds(bounds: tuple[int, int]) -> dict[str, list]:
    start, end = bounds
    return _tag_chunk(_WORK["texts"][start:end], _WORK["model"], _WORK["explain"])


def _tag_chunk(batch: list[str], model, explain: bool) -> dict[str, list]:
    import numpy as np

    from feedback.sentiment import compound_scores
    from feedback.text import is_question

    classes = list(model.classes_)
    probabilities = model.predict_proba(batch)
    given = model.decide(probabilities)
    rows, columns = np.nonzero(given)  # by comment, then by code, as the codebook lists them
    ends = np.cumsum(np.bincount(rows, minlength=len(batch))).tolist()
    code_names = [classes[j] for j in columns.tolist()]
    pairs = [
        f"{code}:{p:.2f}"
        for code, p in zip(code_names, probabilities[rows, columns].tolist(), strict=True)
    ]
    labels, scores = [], []
    start = 0
    for end in ends:
        labels.append(";".join(code_names[start:end]) if end > start else "")
        scores.append(";".join(pairs[start:end]) if end > start else "")
        start = end
    explanations = [""] * len(batch)
    if explain:
        for offset, text in enumerate(batch):
            hit = np.flatnonzero(given[offset])
            if len(hit):
                explanations[offset] = " | ".join(
                    _explanation_text(classes[j], model.explain(text, classes[j])) for j in hit
                )
    return {
        "labels": labels,
        "scores": scores,
        "sentiment": compound_scores(batch).tolist(),
        "is_question": [is_question(text) for text in batch],
        "explanation": explanations,
    }


def _explanation_text(code: str, detail: dict) -> str:
    parts = [f"{code} ({detail['probability']:.2f})"]
    if detail["phrases"]:
        parts.append("phrases: " + ", ".join(detail["phrases"]))
    if detail["terms"]:
        parts.append("terms: " + ", ".join(detail["terms"]))
    return "; ".join(parts)
