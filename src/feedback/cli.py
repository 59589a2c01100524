"""The ``feedback`` command line: the only module that prints or exits.

Heavy libraries (pandas, scikit-learn, matplotlib, nltk) are imported inside
the commands, so ``feedback --help`` stays fast.
"""

from __future__ import annotations

import functools
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    name="feedback",
    help="Turn a webinar's chat, Q&A, attendee reports and survey into a blog-ready report.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help text: formatting it with rich would double the start-up time.
    rich_markup_mode=None,
)


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def handles_errors(func):
    """Turn FeedbackErrors (and unreadable files) into a message and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from feedback.exceptions import FeedbackError

        try:
            return func(*args, **kwargs)
        except FeedbackError as error:
            _fail(str(error))
        except KeyboardInterrupt:
            _fail("interrupted", 130)

    return wrapper


# -- shared options ------------------------------------------------------------------
InputsArg = Annotated[
    list[Path],
    typer.Argument(help="Export files or folders (a folder is read as one webinar)."),
]
FormatOpt = Annotated[
    str | None,
    typer.Option("--format", "-f", help="Force a format id (see 'feedback formats')."),
]
DateOpt = Annotated[
    str | None,
    typer.Option("--date", help="Date of the webinar (YYYY-MM-DD) for chats that give only times."),
]
TextColOpt = Annotated[
    str | None, typer.Option("--text-column", help="Column holding the comment text.")
]
AuthorColOpt = Annotated[
    str | None, typer.Option("--author-column", help="Column holding the author's name.")
]
TimeColOpt = Annotated[str | None, typer.Option("--time-column", help="Column holding the time.")]
StrictOpt = Annotated[
    bool,
    typer.Option("--strict", help="Fail on any line that cannot be read, instead of counting it."),
]


def _options(date_text, text_column, author_column, time_column, strict):
    from feedback.exceptions import FeedbackError
    from feedback.loaders import LoadOptions

    day = None
    if date_text:
        try:
            day = date.fromisoformat(date_text)
        except ValueError:
            raise FeedbackError(f"--date {date_text!r}: expected YYYY-MM-DD") from None
    return LoadOptions(
        date=day,
        text_column=text_column,
        author_column=author_column,
        time_column=time_column,
        strict=strict,
    )


def _file_summary_lines(webinars) -> list[str]:
    from feedback.schema import Col, Kind

    lines = []
    header = (
        f"{'file':<40} {'format':<24} {'messages':>8} {'private':>7} {'reactions':>9} "
        f"{'authors':>7} {'answers':>7} {'skipped':>7}"
    )
    lines.append(header)
    for webinar in webinars:
        for result in webinar.files:
            items = result.items
            chat = items[items[Col.KIND].isin([Kind.CHAT, Kind.TRANSCRIPT, Kind.QUESTION])]
            lines.append(
                f"{result.path.name[:40]:<40} {result.format:<24} {len(chat):>8} "
                f"{int(items[Col.IS_PRIVATE].sum()):>7} "
                f"{int((items[Col.KIND] == Kind.REACTION).sum()):>9} "
                f"{items.loc[items[Col.AUTHOR] != '', Col.AUTHOR].nunique():>7} "
                f"{int((items[Col.KIND] == Kind.ANSWER).sum()):>7} {len(result.skipped):>7}"
            )
            if len(result.participants):
                lines.append(f"{'':<40} {'':<24} participants: {len(result.participants)}")
    skipped = [s for w in webinars for s in w.skipped]
    if skipped:
        lines.append(f"{len(skipped)} line(s) could not be read and were left out:")
        for s in skipped[:20]:
            lines.append("  " + s.describe())
        if len(skipped) > 20:
            lines.append(f"  ... and {len(skipped) - 20} more")
    return lines


@app.command()
@handles_errors
def load(
    inputs: InputsArg,
    out: Annotated[Path, typer.Option("--out", "-o", help="Write the items table here (CSV).")],
    participants_out: Annotated[
        Path | None, typer.Option("--participants-out", help="Write the participants table here.")
    ] = None,
    format: FormatOpt = None,
    date_text: DateOpt = None,
    text_column: TextColOpt = None,
    author_column: AuthorColOpt = None,
    time_column: TimeColOpt = None,
    strict: StrictOpt = False,
) -> None:
    """Read exports into one tidy items table (CSV) and print what was read."""
    import pandas as pd

    from feedback.io import check_not_input, write_table
    from feedback.loaders import load_inputs

    options = _options(date_text, text_column, author_column, time_column, strict)
    check_not_input([out, participants_out], inputs)
    webinars = load_inputs(inputs, format=format, options=options)
    items = pd.concat([w.items for w in webinars], ignore_index=True)
    write_table(items, out)
    for line in _file_summary_lines(webinars):
        typer.echo(line)
    typer.echo(f"wrote {len(items)} items to {out}")
    if participants_out is not None:
        participants = pd.concat([w.participants for w in webinars], ignore_index=True)
        write_table(participants, participants_out)
        typer.echo(f"wrote {len(participants)} participants to {participants_out}")


@app.command()
@handles_errors
def formats() -> None:
    """List the formats feedback reads and how each is recognised."""
    from feedback.loaders import loaders

    for format_id, cls in loaders().items():
        typer.echo(f"{format_id:<26} {cls.description}")
        if cls.recognised_by:
            typer.echo(f"{'':<26} recognised by: {cls.recognised_by}")


# -- tagging -------------------------------------------------------------------------------------
CodebookOpt = Annotated[
    Path | None, typer.Option("--codebook", help="A codebook file (default: the bundled one).")
]
ModelOpt = Annotated[
    Path | None,
    typer.Option("--model", help="A model from 'feedback train' (default: the bundled model)."),
]


def _model(model_path, codebook_path):
    """Load the model and codebook; describe the model for reports."""
    from feedback.classifier import default_model, load_model
    from feedback.codebook import load_codebook

    codebook = load_codebook(codebook_path)
    if model_path is not None:
        model = load_model(model_path, codebook=codebook if codebook_path else None)
        if codebook_path is None:
            codebook = model.codebook_
        info = {
            "name": f"the model {Path(model_path).name}",
            "path": str(model_path),
            "micro_f1": model.cv_scores_.get("micro_f1"),
            "macro_f1": model.cv_scores_.get("macro_f1"),
            "evaluated_on": "cross-validation on its training data",
        }
        return model, codebook, info
    model = default_model(codebook)
    info = {"name": "the bundled model (trained on the bundled labelled comments)"}
    if codebook_path is None:
        from feedback.classifier import bundled_heldout_data, evaluate

        heldout = bundled_heldout_data()
        table = evaluate(model, heldout["text"].tolist(), heldout["labels"].tolist())
        info.update(
            micro_f1=float(table.loc["micro avg", "f1"]),
            macro_f1=float(table.loc["macro avg", "f1"]),
            evaluated_on=f"the bundled held-out test set ({len(heldout)} comments)",
        )
    else:
        info.update(
            micro_f1=model.cv_scores_.get("micro_f1"),
            macro_f1=model.cv_scores_.get("macro_f1"),
            evaluated_on="cross-validation on the bundled training data",
        )
    return model, codebook, info


@app.command()
@handles_errors
def tag(
    inputs: InputsArg,
    out: Annotated[Path, typer.Option("--out", "-o", help="Write the tagged table here (CSV).")],
    codebook: CodebookOpt = None,
    model: ModelOpt = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Add an explanation column (phrases and terms).")
    ] = False,
    format: FormatOpt = None,
    date_text: DateOpt = None,
    text_column: TextColOpt = None,
    author_column: AuthorColOpt = None,
    time_column: TimeColOpt = None,
    strict: StrictOpt = False,
) -> None:
    """Tag every comment against the codebook and write the table with labels added."""
    import pandas as pd

    from feedback.analysis import tag_items, taggable_mask
    from feedback.io import check_not_input, write_table
    from feedback.loaders import load_inputs

    check_not_input([out], inputs)
    options = _options(date_text, text_column, author_column, time_column, strict)
    webinars = load_inputs(inputs, format=format, options=options)
    items = pd.concat([w.items for w in webinars], ignore_index=True)
    tagger, _, _ = _model(model, codebook)
    with _progress(int(taggable_mask(items).sum()), "tagging") as bar:
        tagged = tag_items(items, tagger, explain=explain, progress=bar)
    write_table(tagged, out)
    done = taggable_mask(tagged)
    with_code = int((tagged.loc[done, "labels"] != "").sum())
    typer.echo(
        f"tagged {int(done.sum())} comments ({with_code} with at least one code); "
        f"wrote {len(tagged)} rows to {out}"
    )


class _progress:
    """A tqdm bar on stderr driven by callbacks that report rows done."""

    def __init__(self, total: int, desc: str) -> None:
        self.total, self.desc, self.bar, self.done = total, desc, None, 0

    def __enter__(self):
        from tqdm import tqdm

        self.bar = tqdm(
            total=self.total, desc=self.desc, unit="rows", disable=self.total < 20000, leave=False
        )
        return self

    def __call__(self, done: int) -> None:
        self.bar.update(done - self.done)
        self.done = done

    def __exit__(self, *exc) -> None:
        self.bar.close()


class _FileProgress:
    """A bar over input files, shown once there are more than a few of them."""

    def __init__(self) -> None:
        self.bar = None
        self.count = 0

    def __call__(self, path) -> None:
        self.count += 1
        if self.count == 5 and self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(desc="reading files", unit="file", leave=False, initial=4)
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix_str(Path(path).name[:30])

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class _TagProgress:
    """A bar over comments being tagged, for webinars with many of them."""

    def __init__(self) -> None:
        self.bar = None
        self.name = None
        self.done = 0

    def __call__(self, name: str, done: int, total: int) -> None:
        if total < 20000:
            return
        if self.bar is None or name != self.name:
            from tqdm import tqdm

            self.close()
            self.bar = tqdm(total=total, desc=f"tagging {name}"[:40], unit="comments", leave=False)
            self.name, self.done = name, 0
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _read_labelled(path: Path):
    """Texts and label cells of a labelled CSV; errors name the file's line.

    Rows with no text are left out (and counted); an unknown label anywhere is an
    error naming its line.
    """
    import io

    import pandas as pd

    from feedback.exceptions import FeedbackError
    from feedback.loaders.base import Source

    source = Source(path)
    try:
        table = pd.read_csv(
            io.StringIO(source.text), dtype=str, keep_default_na=False, sep=source.delimiter
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as error:
        raise FeedbackError(f"{path}: not a readable CSV table ({error})") from None
    table.columns = [str(c).strip().lower() for c in table.columns]
    missing = [c for c in ("text", "labels") if c not in table.columns]
    if missing:
        raise FeedbackError(
            f"{path}: needs columns 'text' and 'labels' (code ids separated by ';'); "
            f"missing {', '.join(missing)}; it has {', '.join(table.columns)}"
        )
    return table["text"].tolist(), table["labels"].tolist()


def _check_labels(path: Path, labels, codebook) -> None:
    """Raise an error naming the file and line of the first unknown label."""
    from feedback.classifier import parse_labels
    from feedback.codebook import Codebook, load_codebook
    from feedback.exceptions import FeedbackError

    book = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
    known = set(book.ids)
    for row, cell in enumerate(labels):
        for label in parse_labels(cell):
            if label not in known:
                raise FeedbackError(
                    f"{path}: line {row + 2}: label {label!r} is not a code of the codebook "
                    f"(codes: {', '.join(book.ids)})"
                )


def _drop_blank(texts, labels):
    keep = [i for i, t in enumerate(texts) if str(t).strip()]
    return [texts[i] for i in keep], [labels[i] for i in keep], len(texts) - len(keep)


@app.command()
@handles_errors
def train(
    labelled: Annotated[Path, typer.Argument(help="CSV with columns 'text' and 'labels'.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to save the model (.skops).")],
    codebook: CodebookOpt = None,
    bundled: Annotated[
        bool,
        typer.Option("--bundled/--no-bundled", help="Also train on the bundled labelled data."),
    ] = True,
) -> None:
    """Train a tagger on your own labelled comments (with the bundled data by default)."""
    from feedback.classifier import save_model, train_model
    from feedback.exceptions import CodebookError, FeedbackError
    from feedback.io import check_not_input

    check_not_input([out], [labelled])
    texts, labels = _read_labelled(labelled)
    _check_labels(labelled, labels, codebook)
    texts, labels, blank = _drop_blank(texts, labels)
    if blank:
        typer.echo(f"left out {blank} row(s) of {labelled.name} with no text")
    try:
        model = train_model(texts, labels, codebook=codebook, include_bundled=bundled)
    except CodebookError as error:
        raise FeedbackError(f"{labelled}: {error}") from None
    save_model(model, out)
    typer.echo(
        f"trained on {model.n_train_} comments ({len(texts)} from {labelled.name}); "
        f"cross-validated micro-F1 {model.cv_scores_['micro_f1']:.2f}, "
        f"macro-F1 {model.cv_scores_['macro_f1']:.2f}"
    )
    typer.echo(f"saved the model to {out}")


@app.command()
@handles_errors
def evaluate(
    labelled: Annotated[
        Path | None, typer.Argument(help="CSV with 'text' and 'labels' (omit with --heldout).")
    ] = None,
    model: ModelOpt = None,
    codebook: CodebookOpt = None,
    cv: Annotated[
        int | None,
        typer.Option("--cv", help="Cross-validate a new model on the file itself with K folds."),
    ] = None,
    heldout: Annotated[
        bool, typer.Option("--heldout", help="Evaluate on the bundled held-out test set.")
    ] = False,
    out_dir: Annotated[
        Path, typer.Option("--out-dir", help="Folder for evaluation.csv and evaluation.png.")
    ] = Path("evaluation"),
) -> None:
    """Per-code precision, recall, F1 and support, printed and saved as CSV and PNG."""
    from feedback import plots
    from feedback.classifier import bundled_heldout_data, cross_validate
    from feedback.classifier import evaluate as run_evaluation
    from feedback.exceptions import CodebookError, FeedbackError
    from feedback.io import write_table

    if heldout:
        data = bundled_heldout_data()
        texts, labels, name = data["text"].tolist(), data["labels"].tolist(), "held-out set"
    elif labelled is not None:
        texts, labels = _read_labelled(labelled)
        if model is None:
            _check_labels(labelled, labels, codebook)
        texts, labels, _ = _drop_blank(texts, labels)
        name = labelled.name
    else:
        raise FeedbackError("give a labelled CSV file, or --heldout")
    try:
        if cv is not None:
            table = cross_validate(texts, labels, k=cv, codebook=codebook)
            how = f"{cv}-fold cross-validation on {name}"
        else:
            tagger, _, _ = _model(model, codebook)
            table = run_evaluation(tagger, texts, labels)
            how = f"{model.name if model else 'the bundled model'} on {name}"
    except CodebookError as error:
        raise FeedbackError(f"{name}: {error}") from None
    typer.echo(f"Evaluation: {how} ({len(texts)} comments)")
    typer.echo(table.to_string(float_format=lambda v: f"{v:.2f}"))
    out_dir.mkdir(parents=True, exist_ok=True)
    write_table(table.reset_index(), out_dir / "evaluation.csv")
    ax = plots.plot_evaluation(table, title=f"Tagging accuracy by code: {how}")
    plots.save_figure(ax.figure, out_dir / "evaluation.png")
    typer.echo(f"saved {out_dir / 'evaluation.csv'} and {out_dir / 'evaluation.png'}")


# -- codebook ------------------------------------------------------------------------------------
codebook_app = typer.Typer(
    help="Show, check or copy a codebook.", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(codebook_app, name="codebook")


@codebook_app.command("show")
@handles_errors
def codebook_show(
    path: Annotated[Path | None, typer.Argument(help="A codebook file (default: bundled).")] = None,
) -> None:
    """List the codes of a codebook by group."""
    from feedback.codebook import load_codebook

    book = load_codebook(path)
    typer.echo(f"{book.name} (version {book.version}): {len(book)} codes")
    for group in book.groups:
        typer.echo(f"\n{group}")
        for code in book.codes:
            if code.group == group:
                typer.echo(f"  {code.id:<22} {code.label}")
                typer.echo(f"  {'':<22} {code.description[:150]}")


@codebook_app.command("validate")
@handles_errors
def codebook_validate(path: Annotated[Path, typer.Argument(help="The codebook to check.")]) -> None:
    """Check a codebook file; errors name the line."""
    from feedback.codebook import load_codebook

    book = load_codebook(path)
    typer.echo(f"{path}: valid, {len(book)} codes in {len(book.groups)} groups")


@codebook_app.command("init")
@handles_errors
def codebook_init(
    path: Annotated[Path, typer.Argument(help="Where to write a copy of the default codebook.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a copy of the default codebook to edit."""
    from feedback.codebook import default_codebook_text
    from feedback.exceptions import FeedbackError
    from feedback.io import write_text

    if path.exists() and not force:
        raise FeedbackError(f"{path} exists; use --force to overwrite it")
    write_text(path, default_codebook_text())
    typer.echo(f"wrote {path}; edit it, then check it with 'feedback codebook validate {path}'")


# -- report --------------------------------------------------------------------------------------
def _sample_inputs() -> list[Path]:
    from importlib.resources import files

    from feedback.exceptions import FeedbackError

    folder = Path(str(files("feedback.assets").joinpath("sample")))
    if not folder.is_dir():
        raise FeedbackError("the bundled sample webinar is missing from this installation")
    return [folder]


#: Files every report writes (besides its charts).
OUTPUT_FILES = (
    "report.md",
    "report.html",
    "tagged_comments.csv",
    "questions.csv",
    "summary.json",
    "manifest.json",
)

NamesOpt = Annotated[
    str,
    typer.Option("--names", help="How people are named: pseudonym (default), first or full."),
]
KeepNameOpt = Annotated[
    list[str] | None,
    typer.Option("--keep-name", help="A name to keep as it is (e.g. a host); repeatable."),
]
KeyOutOpt = Annotated[
    Path | None,
    typer.Option("--key-out", help="Write the pseudonym-to-name key here (never in --out)."),
]


def _check_key_path(key_out, out_dir):
    from feedback.exceptions import OutputError

    if key_out is None:
        return
    out_dir = out_dir.resolve()
    if out_dir == key_out.resolve().parent or out_dir in key_out.resolve().parents:
        raise OutputError(f"--key-out {key_out}: the key must not be written inside {out_dir}")


def _write_key(key: dict, path: Path) -> None:
    import json

    from feedback.io import write_text

    write_text(path, json.dumps(key, indent=2, ensure_ascii=False) + "\n")


@app.command()
@handles_errors
def report(
    inputs: Annotated[
        list[Path] | None,
        typer.Argument(help="Export files or folders of one webinar (default: the sample)."),
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the report.")] = Path(
        "report"
    ),
    title: Annotated[str | None, typer.Option("--title", help="Title of the report.")] = None,
    webinar: Annotated[
        list[str] | None,
        typer.Option("--webinar", help="NAME=PATH: one webinar of a series; repeatable."),
    ] = None,
    codebook: CodebookOpt = None,
    model: ModelOpt = None,
    names: NamesOpt = "pseudonym",
    keep_name: KeepNameOpt = None,
    key_out: KeyOutOpt = None,
    min_group: Annotated[
        int, typer.Option("--min-group", help="Merge organisations/countries smaller than this.")
    ] = 3,
    format: FormatOpt = None,
    date_text: DateOpt = None,
    strict: StrictOpt = False,
    pages: Annotated[
        str,
        typer.Option(
            "--pages",
            help="Series: which webinars get their own page: linked (default), all or none.",
        ),
    ] = "linked",
) -> None:
    """Write a blog-ready report (Markdown, HTML, charts, CSVs) of one webinar or a series."""
    import time

    from feedback.exceptions import FeedbackError
    from feedback.io import check_not_input
    from feedback.loaders import load_inputs, load_webinar
    from feedback.report import ReportOptions, build_manifest, build_report, write_report

    started = time.perf_counter()
    options = _options(date_text, None, None, None, strict)
    loading = _FileProgress()
    sources: list[Path] = []
    webinars = []
    if webinar:
        for spec in webinar:
            if "=" not in spec:
                raise FeedbackError(f"--webinar {spec!r}: expected NAME=PATH")
            name, path = spec.split("=", 1)
            sources.append(Path(path))
            webinars.append(
                load_webinar(
                    [Path(path)],
                    name=name.strip(),
                    format=format,
                    options=options,
                    progress=loading,
                )
            )
    paths = list(inputs or [])
    if paths:
        sources += paths
        webinars += load_inputs(paths, format=format, options=options, progress=loading)
    loading.close()
    if not webinars:
        sources = _sample_inputs()
        webinars = load_inputs(sources, format=format, options=options)
        typer.echo("No inputs given: reporting on the bundled sample webinar.")
    check_not_input([*(out / n for n in OUTPUT_FILES), key_out], sources)
    for source in sources:
        if source.resolve() == out.resolve():
            raise FeedbackError(f"--out {out}: is an input folder; choose another folder")
    _check_key_path(key_out, out)
    tagger, book, info = _model(model, codebook)
    report_options = ReportOptions(
        title=title, names=names, keep_names=list(keep_name or []), min_group=min_group,
        pages=pages,
    )  # fmt: skip
    tagging = _TagProgress()
    built = build_report(
        webinars,
        model=tagger,
        codebook=book,
        options=report_options,
        model_info=info,
        progress=tagging,
    )
    tagging.close()  # fmt: skip
    planned = [out / f"{name}.png" for name in built.charts] + [out / name for name in OUTPUT_FILES]
    for folder, page in built.pages.items():
        planned += [out / folder / n for n in ("report.md", "report.html")]
        planned += [out / folder / f"{c}.png" for c in page.charts]
    check_not_input([*planned, key_out], sources)
    built.manifest = build_manifest(webinars, codebook=book, model_info=info,
                                    options=report_options)  # fmt: skip
    written = write_report(built, out)
    if key_out is not None:
        _write_key(built.key, key_out)
    elapsed = time.perf_counter() - started
    summary = built.summary
    typer.echo(f"\n{built.title}")
    typer.echo(
        f"  {summary.get('messages', 0)} public messages, {summary.get('private_excluded', 0)} "
        f"private messages excluded, {summary.get('reactions', 0)} reactions"
    )
    codes = summary.get("conversation_codes") or summary.get("codes", {})
    top = sorted(((n, c) for c, n in codes.items() if n), reverse=True)[:5]
    if top:
        typer.echo("  most discussed: " + ", ".join(f"{book.label(c)} ({n})" for n, c in top))
    if summary.get("webinars"):
        typer.echo(f"  {len(summary['webinars'])} webinars, {summary['attendees']} attendees")
    for burst in sorted(summary.get("bursts", []), key=lambda b: -b["count"])[:5]:
        where = f" ({burst['webinar']})" if burst.get("webinar") else ""
        typer.echo(f"  burst: {book.label(burst['code'])}, {burst['count']} messages from "
                   f"{burst['start'][11:16]}{where}")  # fmt: skip
    asked = summary.get("question_counts", {})
    typer.echo(f"  {asked.get('content', 0)} questions about the subject, {asked.get('open', 0)} "
               f"still open; {asked.get('session', 0)} about the session")  # fmt: skip
    if summary.get("survey", {}).get("responses"):
        typer.echo(f"  {summary['survey']['responses']} survey responses")
    typer.echo(f"  {len(written)} files written in {elapsed:.1f} s")
    typer.echo(f"\nReport: {(out / 'report.html').resolve()}")
    if key_out is not None:
        typer.echo(f"Pseudonym key (keep it private): {key_out}")


# -- prize draw ----------------------------------------------------------------------------------
@app.command()
@handles_errors
def draw(
    survey: Annotated[Path, typer.Argument(help="The survey export.")],
    seed: Annotated[
        int | None, typer.Option("--seed", help="Seed of the draw (printed; random if omitted).")
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option("--exclude", help="A name or respondent id to leave out; repeatable."),
    ] = None,
    question: Annotated[
        str | None, typer.Option("--question", help="The opt-in question (or part of it).")
    ] = None,
    winners: Annotated[int, typer.Option("--winners", help="How many winners to draw.")] = 1,
    format: FormatOpt = None,
) -> None:
    """A reproducible prize draw among survey respondents who opted in."""
    import hashlib
    import secrets

    from feedback.draw import prize_draw
    from feedback.loaders import load_file

    result = load_file(survey, format=format)
    if seed is None:
        seed = secrets.randbelow(10**9)
    outcome = prize_draw(result.items, seed=seed, exclude=exclude or [], question=question,
                         winners=winners)  # fmt: skip
    digest = hashlib.sha256(survey.read_bytes()).hexdigest()
    typer.echo(f"survey: {survey.name} (sha256 {digest[:16]}...)")
    typer.echo(f"opt-in question: {outcome.question}")
    typer.echo(
        f"eligible respondents: {outcome.eligible} (opted in: {outcome.opted_in}, "
        f"excluded: {outcome.excluded})"
    )
    typer.echo(f"seed: {seed}")
    for number, winner in enumerate(outcome.winners, start=1):
        typer.echo(f"winner {number}: {winner}")
    typer.echo(f"to repeat this draw: feedback draw {survey} --seed {seed}" + "".join(
        f" --exclude {name!r}" for name in exclude or []))  # fmt: skip


# -- anonymise -----------------------------------------------------------------------------------
@app.command()
@handles_errors
def anonymise(
    inputs: InputsArg,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the anonymised tables.")],
    names: NamesOpt = "pseudonym",
    keep_name: KeepNameOpt = None,
    key_out: KeyOutOpt = None,
    format: FormatOpt = None,
    date_text: DateOpt = None,
) -> None:
    """Write the loaded tables with private messages removed, names replaced and text scrubbed."""
    import pandas as pd

    from feedback.io import check_not_input, write_table
    from feedback.loaders import load_inputs
    from feedback.privacy import Pseudonymiser, anonymise_tables

    check_not_input([out / "items.csv", out / "participants.csv", key_out], inputs)
    _check_key_path(key_out, out)
    webinars = load_inputs(inputs, format=format, options=_options(date_text, None, None, None,
                                                                   False))  # fmt: skip
    items = pd.concat([w.items for w in webinars], ignore_index=True)
    participants = pd.concat([w.participants for w in webinars], ignore_index=True)
    pseudonymiser = Pseudonymiser(names, keep=keep_name or [])
    safe_items, safe_participants, dropped = anonymise_tables(items, participants, pseudonymiser)
    out.mkdir(parents=True, exist_ok=True)
    write_table(safe_items, out / "items.csv")
    write_table(safe_participants, out / "participants.csv")
    if key_out is not None:
        _write_key(pseudonymiser.key(), key_out)
    typer.echo(
        f"wrote {len(safe_items)} items and {len(safe_participants)} participants to {out} "
        f"({dropped} private messages removed)"
    )


def main() -> None:
    """Entry point of the ``feedback`` console script."""
    app(prog_name="feedback")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
