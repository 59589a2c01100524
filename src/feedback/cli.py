"""The ``feedback`` command line: the only module that prints or exits.

Heavy libraries (pandas, scikit-learn, matplotlib, nltk) are imported inside
the commands, so ``feedback --help`` stays fast.
"""

from __future__ import annotations

import functools
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperGroup


class _PlainHelp(TyperGroup):
    """The command group whose help names values as a command line does.

    Typer's plain help shows Python types (``inputs... <list[Path]>``); here
    arguments read ``INPUT...`` and options ``--out PATH``, ``--winners N``.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _plain_metavars(self)


#: Metavars of option values by Python type.
_METAVARS = {"Path": "PATH", "int": "N", "float": "NUMBER", "str": "TEXT"}


def _plain_metavars(command) -> None:
    for sub in getattr(command, "commands", {}).values():
        _plain_metavars(sub)
    for param in command.params:
        if param.metavar is not None or getattr(param, "is_flag", False):
            continue
        if param.param_type_name == "argument":
            many = param.nargs != 1
            name = param.name.upper()
            name = name[:-1] if many and name.endswith("S") else name
            param.metavar = name
            param.display_type_rich = lambda ctx: None
            param._rich_display_name = lambda m=name, many=many: m + ("..." if many else "")
            shown = name + ("..." if many else "")
            param._usage_display_name = lambda shown=shown, p=param: (
                shown if p.required else f"[{shown}]"
            )
        else:
            annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
            inner = getattr(annotation, "__args__", None) or (annotation,)
            type_name = getattr(inner[0], "__name__", str(inner[0]))
            param.metavar = _METAVARS.get(type_name, "VALUE")


app = typer.Typer(
    name="feedback",
    cls=_PlainHelp,
    help="Turn a webinar's chat, Q&A, attendee reports and survey into a blog-ready report.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help text: formatting it with rich would double the start-up time.
    rich_markup_mode=None,
)


def _show_version(value: bool) -> None:
    if value:
        from feedback import __version__

        typer.echo(f"feedback {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Turn a webinar's chat, Q&A, attendee reports and survey into a blog-ready report."""


def _on_terminal() -> bool:
    """Progress bars are drawn only on a terminal, never into logs or pipes."""
    return sys.stderr.isatty()


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


#: Where a traceback (a bug, never a user's mistake) asks to be reported.
BUG_REPORT = (
    "This is a bug in feedback, not a problem with your files. Please report it on the "
    "project's issue tracker with the command you ran and the traceback above."
)


def handles_errors(func):
    """Turn FeedbackErrors and file-system errors into one line and exit code 1.

    Anything else is a bug: its traceback is printed with where to report it
    (exit code 2).
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from feedback.exceptions import FeedbackError

        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except FeedbackError as error:
            _fail(str(error))
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except OSError as error:
            where = error.filename or "a file"
            reason = (error.strerror or str(error) or type(error).__name__).rstrip(".").lower()
            _fail(f"{where}: {reason}")
        except MemoryError:
            _fail("out of memory (try fewer or smaller inputs at a time)")
        except Exception:
            import traceback

            traceback.print_exc()
            typer.echo(BUG_REPORT, err=True)
            raise typer.Exit(2) from None

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


class PanelistMessages(StrEnum):
    """What to do with webinar chat messages sent "to All Panelists"."""

    include = "include"
    exclude = "exclude"


PanelistOpt = Annotated[
    PanelistMessages,
    typer.Option(
        "--panelist-messages",
        help="Webinar chat sent to the panel ('to All Panelists'): analyse and quote it like "
        "public chat (include), or count it but leave it out like private messages (exclude).",
    ),
]


def _options(
    date_text, text_column, author_column, time_column, strict, panelist_messages="include"
):
    from feedback.api import load_options

    return load_options(
        date=date_text,
        text_column=text_column,
        author_column=author_column,
        time_column=time_column,
        strict=strict,
        panelist_messages=PanelistMessages(panelist_messages).value,
        date_name="--date",
    )


def _file_summary_lines(webinars) -> list[str]:
    from feedback.schema import RECIPIENT_PANELISTS, Col, Kind

    lines = []
    header = (
        f"{'file':<40} {'format':<24} {'messages':>8} {'private':>7} {'panel':>5} {'reactions':>9} "
        f"{'authors':>7} {'answers':>7} {'skipped':>7}"
    )
    lines.append(header)
    for webinar in webinars:
        for result in webinar.files:
            items = result.items
            chat = items[items[Col.KIND].isin([Kind.CHAT, Kind.TRANSCRIPT, Kind.QUESTION])]
            panel = items[Col.RECIPIENT] == RECIPIENT_PANELISTS
            lines.append(
                f"{result.path.name[:40]:<40} {result.format:<24} {len(chat):>8} "
                f"{int((items[Col.IS_PRIVATE] & ~panel).sum()):>7} {int(panel.sum()):>5} "
                f"{int((items[Col.KIND] == Kind.REACTION).sum()):>9} "
                f"{items.loc[items[Col.AUTHOR] != '', Col.AUTHOR].nunique():>7} "
                f"{int((items[Col.KIND] == Kind.ANSWER).sum()):>7} {len(result.skipped):>7}"
            )
            if len(result.participants):
                lines.append(f"{'':<40} {'':<24} participants: {len(result.participants)}")
    panel = sum(int((w.items[Col.RECIPIENT] == RECIPIENT_PANELISTS).sum()) for w in webinars)
    if panel:
        lines.append(f"{panel} messages sent to panelists ('panel'; not private)")
    skipped_files = [f for w in webinars for f in w.skipped_files]
    if skipped_files:
        lines.append(
            f"{len(skipped_files)} file(s) in the folders are not exports and were skipped:"
        )
        lines.extend("  " + f.describe() for f in skipped_files)
    skipped = [s for w in webinars for s in w.skipped]
    if skipped:
        lines.append(f"{len(skipped)} line(s) could not be read and were left out:")
        for s in skipped[:20]:
            lines.append("  " + s.describe())
        if len(skipped) > 20:
            lines.append(f"  ... and {len(skipped) - 20} more")
    warned = [w for webinar in webinars for result in webinar.files for w in result.warnings]
    if warned:
        lines.append(f"{len(warned)} line(s) held bytes that are not valid text (replaced):")
        lines.extend("  " + w.describe() for w in warned[:20])
        if len(warned) > 20:
            lines.append(f"  ... and {len(warned) - 20} more")
    return lines


@app.command()
@handles_errors
def load(
    inputs: InputsArg,
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Write the items table here (.csv, .xlsx or .parquet)."),
    ],
    participants_out: Annotated[
        Path | None, typer.Option("--participants-out", help="Write the participants table here.")
    ] = None,
    format: FormatOpt = None,
    date_text: DateOpt = None,
    text_column: TextColOpt = None,
    author_column: AuthorColOpt = None,
    time_column: TimeColOpt = None,
    strict: StrictOpt = False,
    panelist_messages: PanelistOpt = PanelistMessages.include,
) -> None:
    """Read exports into one tidy items table (CSV) and print what was read."""
    import pandas as pd

    from feedback.io import check_output, check_table_path, write_table
    from feedback.loaders import load_inputs

    options = _options(
        date_text, text_column, author_column, time_column, strict, panelist_messages
    )
    for path, option in ((out, "--out"), (participants_out, "--participants-out")):
        check_output(path, inputs=inputs, option=option)
        if path is not None:
            check_table_path(path)
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
        if getattr(cls, "layouts", ()):
            typer.echo(f"{'':<26} layouts: {'; '.join(cls.layouts)}")
        if getattr(cls, "languages", ()):
            typer.echo(f"{'':<26} languages: {', '.join(cls.languages)}")
    from feedback.loaders.zoom_chat.words import language_table

    typer.echo("\nZoom saved chat, client languages known (headers such as):")
    for code, name, example in language_table():
        typer.echo(f"  {code:<4} {name:<12} {example}")
    typer.echo(
        "  Other languages: the header words (opener, connector, the word for everyone) are "
        "inferred from the file itself."
    )


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
        info.update(_model_ids(model, Path(model_path).name))
        return model, codebook, info
    model = default_model(codebook)
    info = {"name": "the bundled model (trained on the bundled labelled comments)"}
    info.update(_model_ids(model, "default model" if codebook_path is None else "codebook model"))
    if codebook_path is None:
        from feedback.tagging.training import heldout_scores

        scores = heldout_scores(model)
        info.update(
            micro_f1=scores["micro_f1"],
            macro_f1=scores["macro_f1"],
            evaluated_on=f"the bundled held-out test set ({scores['comments']} comments)",
        )
    else:
        info.update(
            micro_f1=model.cv_scores_.get("micro_f1"),
            macro_f1=model.cv_scores_.get("macro_f1"),
            evaluated_on="cross-validation on the bundled training data",
        )
    return model, codebook, info


def _model_ids(model, name: str) -> dict:
    """Which model and codebook: recorded in tagged outputs and report manifests."""
    from feedback.tagging.training import describe_model, provenance

    return {**describe_model(model, name), "tagged_by": provenance(model, name)}


def _warn_few_labels(model) -> None:
    """Name the codes a model knows from fewer than about ten labelled comments."""
    counts = getattr(model, "label_counts_", None)
    if counts is None:
        return
    few = [(code, int(n)) for code, n in zip(model.classes_, counts, strict=True) if n < 10]
    if few:
        listed = ", ".join(f"{code} ({n})" for code, n in few)
        typer.echo(
            f"warning: {len(few)} code(s) have fewer than 10 labelled comments and are tagged "
            f"mostly from their codebook entry: {listed}; label more comments for them",
            err=True,
        )


@app.command()
@handles_errors
def tag(
    inputs: InputsArg,
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            help="Write the tagged comments here; the format follows the extension: .csv, "
            ".xlsx (Excel) or .qdpx (REFI-QDA project for NVivo, MAXQDA, ATLAS.ti, QualCoder).",
        ),
    ],
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
    panelist_messages: PanelistOpt = PanelistMessages.include,
    names: NamesOpt = "pseudonym",
    keep_name: KeepNameOpt = None,
) -> None:
    """Tag every comment against the codebook and write the table with labels added.

    Excel workbooks and REFI-QDA projects leave private messages out and name people
    by pseudonyms (see --names).
    """
    import pandas as pd

    from feedback.analysis import tag_items, taggable_mask
    from feedback.export import check_suffix, tagged_suffixes, write_tagged
    from feedback.io import check_output
    from feedback.loaders import load_inputs
    from feedback.schema import Col

    check_output(out, inputs=inputs)
    check_suffix(out, tagged_suffixes())
    options = _options(
        date_text, text_column, author_column, time_column, strict, panelist_messages
    )
    webinars = load_inputs(inputs, format=format, options=options)
    items = pd.concat([w.items for w in webinars], ignore_index=True)
    tagger, book, info = _model(model, codebook)
    _warn_few_labels(tagger)
    with _progress(int(taggable_mask(items).sum()), "tagging") as bar:
        tagged = tag_items(items, tagger, explain=explain, progress=bar)
    tagged[Col.TAGGED_BY] = info["tagged_by"]
    title = webinars[0].meta.get("title") or webinars[0].name if len(webinars) == 1 else None
    written = write_tagged(tagged, out, book, title=title or "Webinar feedback", names=names,
                           keep_names=keep_name or [])  # fmt: skip
    done = taggable_mask(tagged)
    with_code = int((tagged.loc[done, "labels"] != "").sum())
    typer.echo(
        f"tagged {int(done.sum())} comments ({with_code} with at least one code); "
        f"wrote {written.what} to {out}"
    )


class _progress:
    """A tqdm bar on stderr driven by callbacks that report rows done."""

    def __init__(self, total: int, desc: str) -> None:
        self.total, self.desc, self.bar, self.done = total, desc, None, 0

    def __enter__(self):
        from tqdm import tqdm

        self.bar = tqdm(
            total=self.total,
            desc=self.desc,
            unit="rows",
            disable=self.total < 20000 or not _on_terminal(),
            leave=False,
        )
        return self

    def __call__(self, done: int) -> None:
        self.bar.update(done - self.done)
        self.done = done

    def __exit__(self, *exc) -> None:
        self.bar.close()


class _FileProgress:
    """A bar over input files, shown on a terminal once there are more than a few of them."""

    def __init__(self, total: int | None = None) -> None:
        self.bar = None
        self.count = 0
        self.total = total

    def __call__(self, path) -> None:
        self.count += 1
        if self.count == 5 and self.bar is None and _on_terminal():
            from tqdm import tqdm

            self.bar = tqdm(
                desc="reading files", unit="file", leave=False, initial=4, total=self.total
            )
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
        if total < 20000 or not _on_terminal():
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


def _read_coded_project(path: Path, codebook):
    """Texts, codes and codebook of a REFI-QDA project's coded selections.

    With ``--codebook`` the project's codes are matched to that codebook's (by label);
    otherwise the project's own codebook is used.
    """
    from feedback.codebook import load_codebook
    from feedback.exceptions import CodebookError
    from feedback.refi_qda import read_project, unknown_codes

    reference = load_codebook(codebook) if codebook is not None else None
    project = read_project(path, reference=reference)
    unknown = unknown_codes(project.labels, reference) if reference is not None else []
    if unknown:
        labels = ", ".join(project.codebook[c].label for c in unknown)
        raise CodebookError(
            f"{path}: codes of the project that are not in the codebook {codebook}: {labels}"
        )
    for where, reason in project.skipped[:5]:
        typer.echo(f"left out: {where}: {reason}")
    if len(project.skipped) > 5:
        typer.echo(f"  ... and {len(project.skipped) - 5} more left out")
    typer.echo(
        f"{path.name}: {len(project.selections)} coded selections, {len(project.codebook)} codes"
    )
    return project.texts, project.labels, reference or project.codebook


def _drop_blank(texts, labels):
    keep = [i for i, t in enumerate(texts) if str(t).strip()]
    return [texts[i] for i in keep], [labels[i] for i in keep], len(texts) - len(keep)


@app.command()
@handles_errors
def train(
    labelled: Annotated[
        Path | None,
        typer.Argument(
            help="CSV with columns 'text' and 'labels', or a REFI-QDA project (.qdpx) coded "
            "in NVivo, MAXQDA, ATLAS.ti or QualCoder (omit to train from the codebook's own "
            "examples, or with --default)."
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Where to save the model (.npz or .skops).")
    ] = None,
    codebook: CodebookOpt = None,
    bundled: Annotated[
        bool,
        typer.Option(
            "--bundled/--no-bundled",
            help="Also train on the bundled labelled data, for the codes your codebook keeps "
            "from the default one with the same id and description.",
        ),
    ] = True,
    default: Annotated[
        bool,
        typer.Option("--default", help="Rebuild the default model shipped in the package."),
    ] = False,
) -> None:
    """Train a tagger on your own labelled comments (with the bundled data where it applies)."""
    from feedback.codebook import Codebook, load_codebook
    from feedback.exceptions import CodebookError, FeedbackError
    from feedback.io import check_output
    from feedback.tagging.persistence import save_model
    from feedback.tagging.training import build_default_model, shared_codes, train_model

    if default:
        if out is None:
            raise FeedbackError(
                "--default: give --out (the package's file is "
                "src/feedback/assets/models/default_model.npz)"
            )
        check_output(out, inputs=[])
        with _CodeProgress() as bar:
            model = build_default_model(out, progress=bar)
        typer.echo(f"trained the default model on {model.n_train_} comments; saved it to {out}")
        return
    if out is None:
        raise FeedbackError("give --out: where to save the model")
    texts: list = []
    labels: list = []
    if labelled is not None:
        check_output(out, inputs=[labelled])
        if labelled.suffix.lower() == ".qdpx":
            texts, labels, codebook = _read_coded_project(labelled, codebook)
        else:
            texts, labels = _read_labelled(labelled)
        _check_labels(labelled, labels, codebook)
        texts, labels, blank = _drop_blank(texts, labels)
        if blank:
            typer.echo(f"left out {blank} row(s) of {labelled.name} with no text")
    else:
        check_output(out, inputs=[])
    book = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
    try:
        with _CodeProgress() as bar:
            model = train_model(texts, labels, codebook=book, include_bundled=bundled, progress=bar)
    except CodebookError as error:
        raise FeedbackError(f"{labelled}: {error}") from None
    save_model(model, out)
    kept = shared_codes(book) if bundled else []
    source = f"{len(texts)} from {labelled.name}" if labelled is not None else "no labelled file"
    typer.echo(
        f"trained on {model.n_train_} comments ({source}; bundled comments used for "
        f"{len(kept)} of {len(book)} codes)"
    )
    if texts:
        typer.echo(
            f"cross-validated on your {len(texts)} comments: "
            f"micro-F1 {model.cv_scores_['micro_f1']:.2f}, "
            f"macro-F1 {model.cv_scores_['macro_f1']:.2f}"
        )
    _warn_few_labels(model)
    typer.echo(f"saved the model to {out}")


class _CodeProgress:
    """A bar over the codes being fitted (training)."""

    def __enter__(self):
        from tqdm import tqdm

        self.bar = tqdm(desc="training", unit="code", leave=False)
        return self

    def __call__(self, done: int, total: int) -> None:
        self.bar.total = total
        self.bar.n = done
        self.bar.refresh()

    def __exit__(self, *exc) -> None:
        self.bar.close()


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
        bool,
        typer.Option(
            "--heldout",
            help="Evaluate on the bundled held-out test sets (tidy comments and chat register; "
            "each saved in its own folder under --out-dir).",
        ),
    ] = False,
    gold: Annotated[
        Path | None,
        typer.Option(
            "--gold",
            help="Compare the tagger with people's coding: a REFI-QDA project (.qdpx) or a "
            "labelled CSV; adds Cohen's kappa per code.",
        ),
    ] = None,
    out_dir: Annotated[
        Path, typer.Option("--out-dir", help="Folder for evaluation.csv and evaluation.png.")
    ] = Path("evaluation"),
) -> None:
    """Per-code precision, recall, F1 and support, printed and saved as CSV and PNG."""
    from feedback.exceptions import CodebookError, FeedbackError
    from feedback.io import check_output
    from feedback.tagging.evaluation import cross_validate
    from feedback.tagging.evaluation import evaluate as run_evaluation
    from feedback.tagging.training import HELDOUT_SETS, bundled_heldout_sets

    check_output(
        out_dir, kind="folder", inputs=[p for p in (labelled, model, gold) if p], option="--out-dir"
    )
    if gold is not None:
        _evaluate_gold(gold, model, codebook, out_dir)
        return
    sets = []
    if heldout:
        for file, data in bundled_heldout_sets().items():
            what = HELDOUT_SETS[file]
            sets.append((data["text"].tolist(), data["labels"].tolist(),
                         f"held-out set, {what} ({file})", file.removesuffix(".csv")))  # fmt: skip
    elif labelled is not None:
        texts, labels = _read_labelled(labelled)
        if model is None:
            _check_labels(labelled, labels, codebook)
        texts, labels, _ = _drop_blank(texts, labels)
        sets.append((texts, labels, labelled.name, ""))
    else:
        raise FeedbackError("give a labelled CSV file, or --heldout")
    tagger = None
    for texts, labels, name, suffix in sets:
        try:
            if cv is not None:
                table = cross_validate(texts, labels, k=cv, codebook=codebook)
                how = f"{cv}-fold cross-validation on {name}"
            else:
                if tagger is None:
                    tagger, _, _ = _model(model, codebook)
                table = run_evaluation(tagger, texts, labels)
                how = f"{model.name if model else 'the bundled model'} on {name}"
        except CodebookError as error:
            raise FeedbackError(f"{name}: {error}") from None
        _write_evaluation(table, how, len(texts), out_dir / suffix if len(sets) > 1 else out_dir)


def _write_evaluation(table, how: str, count: int, out_dir: Path) -> None:
    """Print an evaluation table and save it as CSV and PNG in ``out_dir``."""
    from feedback import plots
    from feedback.io import write_table

    typer.echo(f"Evaluation: {how} ({count} comments)")
    typer.echo(table.to_string(float_format=lambda v: f"{v:.2f}"))
    write_table(table.reset_index(), out_dir / "evaluation.csv")
    ax = plots.plot_evaluation(table, title=f"Tagging accuracy by code: {how}")
    plots.save_figure(ax.figure, out_dir / "evaluation.png")
    typer.echo(f"saved {out_dir / 'evaluation.csv'} and {out_dir / 'evaluation.png'}")


def _evaluate_gold(gold: Path, model, codebook, out_dir: Path) -> None:
    """``evaluate --gold``: the tagger against people's coding, with Cohen's kappa."""
    from feedback import plots
    from feedback.io import write_table
    from feedback.refi_qda import agreement_table, read_project, unknown_codes

    tagger, book, _ = _model(model, codebook)
    if gold.suffix.lower() == ".qdpx":
        project = read_project(gold, reference=book)
        texts, labels = project.texts, project.labels
        names = {c: project.codebook.label(c) for c in project.codebook.ids}
    else:
        texts, labels = _read_labelled(gold)
        texts, labels, _ = _drop_blank(texts, labels)
        names = {}
    unknown = unknown_codes(labels, book)
    if unknown:
        typer.echo(
            "codes the tagger does not know (left out of the comparison): "
            + ", ".join(names.get(c, c) for c in unknown)
        )
    table = agreement_table(tagger, texts, labels)
    how = f"{model.name if model else 'the bundled model'} against the coding in {gold.name}"
    typer.echo(f"Agreement: {how} ({len(texts)} coded passages)")
    typer.echo(table.to_string(float_format=lambda v: f"{v:.2f}"))
    out_dir.mkdir(parents=True, exist_ok=True)
    write_table(table.reset_index(), out_dir / "evaluation.csv")
    ax = plots.plot_evaluation(table.drop(columns="kappa"), title=f"Agreement by code: {how}")
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


@codebook_app.command("suggest")
@handles_errors
def codebook_suggest(
    labelled: Annotated[Path, typer.Argument(help="CSV with columns 'text' and 'labels'.")],
    codebook: CodebookOpt = None,
    top: Annotated[int, typer.Option("--top", help="Phrases to propose per code.")] = 8,
) -> None:
    """Propose key phrases for each code from your labelled comments (YAML to paste)."""
    from feedback.codebook import load_codebook
    from feedback.tagging.suggest import suggest_phrases

    texts, labels = _read_labelled(labelled)
    _check_labels(labelled, labels, codebook)
    texts, labels, _ = _drop_blank(texts, labels)
    book = load_codebook(codebook)
    suggestions = suggest_phrases(texts, labels, book, top=top)
    typer.echo(f"# phrases proposed from {len(texts)} labelled comments in {labelled.name}")
    typer.echo("# (n/m: in n of the code's m comments; k elsewhere); new ones only")
    for code in book.codes:
        found = suggestions.get(code.id, [])
        typer.echo(f"{code.id}:")
        if not found:
            typer.echo("  # too few labelled comments to propose phrases")
        for item in found:
            typer.echo(
                f"  - {item.phrase}  # {item.in_code}/{item.code_total}; {item.elsewhere} elsewhere"
            )


@codebook_app.command("init")
@handles_errors
def codebook_init(
    path: Annotated[Path, typer.Argument(help="Where to write a copy of the default codebook.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a copy of the default codebook to edit."""
    from feedback.codebook import default_codebook_text
    from feedback.exceptions import FeedbackError
    from feedback.io import check_output, write_text

    if path.exists() and not force:
        raise FeedbackError(f"{path} exists; use --force to overwrite it")
    check_output(path, option="codebook init")
    write_text(path, default_codebook_text())
    typer.echo(f"wrote {path}; edit it, then check it with 'feedback codebook validate {path}'")


@codebook_app.command("export")
@handles_errors
def codebook_export(
    path: Annotated[
        Path,
        typer.Argument(help="Where to write it: .qdc (REFI-QDA codebook) or .yaml."),
    ],
    codebook: CodebookOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a codebook for a QDA tool (.qdc: NVivo, MAXQDA, ATLAS.ti, QualCoder) or as YAML."""
    from feedback.codebook import load_codebook
    from feedback.exceptions import FeedbackError
    from feedback.export import CODEBOOK_SUFFIXES, check_suffix, write_codebook

    check_suffix(path, CODEBOOK_SUFFIXES, option="codebook export")
    if path.exists() and not force:
        raise FeedbackError(f"{path} exists; use --force to overwrite it")
    written = write_codebook(load_codebook(codebook), path)
    typer.echo(f"wrote {written.what} to {path}")


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
    panelist_messages: PanelistOpt = PanelistMessages.include,
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
    from feedback.io import check_output, staged_folder
    from feedback.loaders import load_inputs, load_webinar
    from feedback.report import ReportOptions, build_manifest, build_report, write_report

    started = time.perf_counter()
    options = _options(date_text, None, None, None, strict, panelist_messages)
    specs = []
    for spec in webinar or []:
        if "=" not in spec:
            raise FeedbackError(f"--webinar {spec!r}: expected NAME=PATH")
        name, path = spec.split("=", 1)
        specs.append((name.strip(), Path(path)))
    paths = list(inputs or [])
    sources = [path for _, path in specs] + paths or _sample_inputs()
    check_output(out, kind="folder", inputs=sources, replace=True)
    check_output(key_out, inputs=sources, option="--key-out")
    _check_key_path(key_out, out)
    from feedback.loaders import expand_inputs

    loading = _FileProgress(len(expand_inputs([p for p in sources if p.exists()])))
    webinars = [
        load_webinar([path], name=name, format=format, options=options, progress=loading)
        for name, path in specs
    ]
    if paths:
        webinars += load_inputs(paths, format=format, options=options, progress=loading)
    loading.close()
    if not webinars:
        webinars = load_inputs(sources, format=format, options=options)
        typer.echo("No inputs given: reporting on the bundled sample webinar.")
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
    built.manifest = build_manifest(webinars, codebook=book, model_info=info,
                                    options=report_options)  # fmt: skip
    with staged_folder(out) as folder:
        written = write_report(built, folder)
    if key_out is not None:
        _write_key(built.key, key_out)
    elapsed = time.perf_counter() - started
    summary = built.summary
    typer.echo(f"\n{built.title}")
    typer.echo(
        f"  {summary.get('messages', 0)} public messages, {summary.get('private_excluded', 0)} "
        f"private messages excluded, {summary.get('reactions', 0)} reactions"
    )
    if summary.get("panelist_messages"):
        typer.echo(
            f"  {summary['panelist_messages']} messages sent to panelists"
            + (" (excluded)" if panelist_messages == PanelistMessages.exclude else "")
        )
    for skipped_file in [f for w in webinars for f in w.skipped_files]:
        typer.echo(f"  {skipped_file.describe()}")
    codes = summary.get("conversation_codes") or summary.get("codes", {})
    top = sorted(((n, c) for c, n in codes.items() if n), reverse=True)[:5]
    if top:
        typer.echo("  most discussed: " + ", ".join(f"{book.label(c)} ({n})" for n, c in top))
    if summary.get("webinars"):
        typer.echo(f"  {len(summary['webinars'])} webinars, {summary['attendees']} attendees")
    for burst in sorted(summary.get("bursts", []), key=lambda b: -b["count"])[:5]:
        where = f" ({burst['webinar']})" if burst.get("webinar") else ""
        typer.echo(f"  burst: {book.label(burst['code'])}, {burst['count']} messages from "
                   f"{burst['start'].split('T')[-1][:5]}{where}")  # fmt: skip
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
    typer.echo("to repeat this draw: " + _draw_command(survey, seed, exclude, question, winners,
                                                      format))  # fmt: skip


def _draw_command(survey, seed, exclude, question, winners, format) -> str:
    """The command line that repeats a draw: every option that shaped it."""
    import shlex

    words = ["feedback", "draw", str(survey), "--seed", str(seed)]
    for name in exclude or []:
        words += ["--exclude", name]
    if question:
        words += ["--question", question]
    if winners != 1:
        words += ["--winners", str(winners)]
    if format:
        words += ["--format", format]
    return shlex.join(words)


# -- anonymise -----------------------------------------------------------------------------------
@app.command()
@handles_errors
def anonymise(
    inputs: InputsArg,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the anonymised tables.")],
    names: NamesOpt = "pseudonym",
    keep_name: KeepNameOpt = None,
    key_out: KeyOutOpt = None,
    min_group: Annotated[
        int,
        typer.Option("--min-group", help="Organisations/countries smaller than this become Other."),
    ] = 3,
    format: FormatOpt = None,
    date_text: DateOpt = None,
    panelist_messages: PanelistOpt = PanelistMessages.include,
) -> None:
    """Write the loaded tables with private messages removed, names replaced and text scrubbed."""
    from datetime import datetime

    import pandas as pd

    from feedback import __version__
    from feedback.io import MANIFEST, check_output, staged_folder, write_json, write_table
    from feedback.loaders import load_inputs
    from feedback.privacy import Pseudonymiser, anonymise_tables

    check_output(out, kind="folder", inputs=inputs, replace=True)
    check_output(key_out, inputs=inputs, option="--key-out")
    _check_key_path(key_out, out)
    options = _options(date_text, None, None, None, False, panelist_messages)
    webinars = load_inputs(inputs, format=format, options=options)
    items = pd.concat([w.items for w in webinars], ignore_index=True)
    participants = pd.concat([w.participants for w in webinars], ignore_index=True)
    pseudonymiser = Pseudonymiser(names, keep=keep_name or [])
    safe_items, safe_participants, dropped = anonymise_tables(
        items, participants, pseudonymiser, min_group=min_group
    )
    tables = {"items.csv": safe_items, "participants.csv": safe_participants}
    with staged_folder(out) as folder:
        for name, table in tables.items():
            write_table(table, folder / name)
        manifest = {
            "created": datetime.now().isoformat(timespec="seconds"),
            "feedback": __version__,
            "command": "anonymise",
            "inputs": [Path(r.path).name for w in webinars for r in w.files],
            "options": {"names": names, "keep_names": len(keep_name or []), "min_group": min_group},
            "private_removed": dropped,
            "outputs": sorted(tables),
        }
        write_json(folder / MANIFEST, manifest)
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
