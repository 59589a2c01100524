"""Reading a file's bytes: decoding with a few bad bytes, CSV dialects, Excel re-saves.

Expected values come from the bytes themselves (counted with plain ``bytes``
operations in the tests), not from the decoder.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from feedback.loaders import load_file
from feedback.loaders.source import Source, decode_text, sniff_delimiter
from feedback.loaders.tables import read_table

TABLES = Path(__file__).parents[1] / "data" / "tables"
BAD_BYTES_CHAT = TABLES / "chat-utf8-three-bad-bytes.txt"


def _emoji(text: str) -> list[str]:
    return re.findall(r"[\U0001F000-\U0001FAFF\u2600-\u27BF]", text)


def test_utf8_chat_with_three_bad_bytes_keeps_every_emoji() -> None:
    raw = BAD_BYTES_CHAT.read_bytes()
    # Independently of the decoder: the emoji are the valid UTF-8 runs of 3-4 bytes
    # starting with E2..F0, and the three bad bytes are these (see the fixture's lines).
    expected_emoji = _emoji(raw.decode("utf-8", errors="ignore"))
    assert len(expected_emoji) == 13  # counted by hand: a flag is two symbols
    bad_lines = [n for n, line in enumerate(raw.split(b"\n"), start=1) if b"\xf6" in line]
    bad_lines += [n for n, line in enumerate(raw.split(b"\n"), start=1) if b"\x92" in line]
    bad_lines += [n for n, line in enumerate(raw.split(b"\n"), start=1) if b"\xff" in line]
    assert bad_lines == [6, 12, 18]

    result = load_file(BAD_BYTES_CHAT)
    assert result.encoding == "utf-8"
    assert len(result.items) == 10
    assert _emoji("".join(result.items["text"])) == expected_emoji
    assert "".join(result.items["text"]).count("\ufffd") == 3
    assert [w.line for w in result.warnings] == [6, 12, 18]
    assert result.meta["replaced_lines"] == [6, 12, 18]
    assert "Ly\ufffdn" in result.warnings[0].text
    assert result.skipped == []


def test_mostly_non_utf8_text_goes_to_charset_detection() -> None:
    data = "Prénom;Commentaire\nRené;très bien, merci\nAïcha;à revoir\n".encode("cp1252")
    decoded = decode_text(data)
    assert decoded.encoding != "utf-8"
    assert "René" in decoded.text and "très" in decoded.text
    assert decoded.replaced_lines == ()


def test_clean_utf8_and_bom_have_no_replacements() -> None:
    assert decode_text("Olá 👋\n".encode()).replaced_lines == ()
    bom = decode_text(b"\xef\xbb\xbfa,b\n\xff,c\n")
    assert (bom.encoding, bom.text, bom.replaced_lines) == ("utf-8-sig", "a,b\n\ufffd,c\n", (2,))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Name;First join\nWeber, Anna;05.12.2023, 14:00\nLee, Min;05.12.2023, 14:02\n", ";"),
        ("Name\tJoin\nWeber, Anna\t14:00\n", "\t"),
        ('"a","b;c"\n"1","2;3"\n', ","),
        ("sep=;\nText,Author;X\n", ";"),
        ('"sep=|"\na|b\n', "|"),
        ('"Question\nwith, commas";Answer\n"x, y";z\n', ";"),
        ("just one column\nsecond line\n", ","),
    ],
)
def test_sniff_delimiter(text: str, expected: str) -> None:
    assert sniff_delimiter(text) == expected


def test_excel_resave_with_sep_line_bom_crlf_and_quotes(tmp_path: Path) -> None:
    text = (
        "\ufeffsep=;\r\n"
        '"Timestamp";"How useful was it?";"Comments"\r\n'
        '"12/03/2026 10:00:00";"4";"Great, thanks"\r\n'
        '"12/03/2026 10:05:00";"5";"More demos; fewer slides"\r\n'
    )
    path = tmp_path / "resaved.csv"
    path.write_bytes(text.encode("utf-8"))
    source = Source(path)
    assert source.delimiter == ";"
    assert source.rows[0] == []  # the sep= line keeps its line number, as an empty row
    assert source.rows[1] == ["Timestamp", "How useful was it?", "Comments"]
    assert read_table(Source(path))[3] == (
        4,
        ["12/03/2026 10:05:00", "5", "More demos; fewer slides"],
    )


def test_load_summary_lists_the_lines_with_replaced_bytes(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from feedback.cli import app

    out = tmp_path / "items.csv"
    result = CliRunner().invoke(app, ["load", str(BAD_BYTES_CHAT), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 line(s) held bytes that are not valid text (replaced):" in result.output
    for line in (6, 12, 18):
        assert f"chat-utf8-three-bad-bytes.txt:{line}: bytes that are not valid utf-8" in (
            result.output
        )
