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


def main() -> None:
    """Entry point of the ``feedback`` console script."""
    app(prog_name="feedback")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
