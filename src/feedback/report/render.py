"""Rendering a built report: Markdown, and one self-contained HTML page."""

from __future__ import annotations

import base64
import html

from feedback.report.parts import Link, Report


def render_markdown(report: Report) -> str:
    """The report as Markdown, with charts as ``![alt](name.png)``."""
    out: list[str] = []
    for block in report.blocks:
        kind = block[0]
        if kind == "h1":
            out.append(f"# {_md(block[1])}\n")
        elif kind == "h2":
            out.append(f"## {_md(block[1])}\n")
        elif kind == "h3":
            out.append(f"### {_md(block[1])}\n")
        elif kind == "p" or kind == "note":
            out.append(_md(block[1], keep_bold=True) + "\n")
        elif kind == "ul":
            out.append("\n".join(f"- {_md(item, keep_bold=True)}" for item in block[1]) + "\n")
        elif kind == "quote":
            text = " ".join(_md(block[1]).split())
            out.append(f"> {text}\n>\n> — {_md(block[2])}\n")
        elif kind == "chart":
            chart = report.charts[block[1]]
            out.append(f"![{_md(chart.alt)}]({chart.name}.png)\n")
        elif kind == "link":
            out.append(_md_cell(block[1]) + "\n")
        elif kind == "table":
            header, rows = block[1], block[2]
            lines = [
                "| " + " | ".join(_md(str(h)) for h in header) + " |",
                "|" + "---|" * len(header),
            ]
            lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
            out.append("\n".join(lines) + "\n")
    return "\n".join(out)


def _md_cell(cell) -> str:
    if isinstance(cell, Link):
        return f"[{_md(cell.text)}]({cell.target}.md)"
    return _md(str(cell))


def _md(text: str, keep_bold: bool = False) -> str:
    """Escape text for Markdown (and neutralise any HTML in it)."""
    import re

    text = str(text).replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\\", "\\\\")
    for ch in "`*_[]#|":
        text = text.replace(ch, "\\" + ch)
    if keep_bold:
        text = re.sub(r"\\\*\\\*(.+?)\\\*\\\*", r"**\1**", text)
        text = text.replace("\\`feedback draw\\`", "`feedback draw`")
    return text


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:860px;
margin:2rem auto;padding:0 1rem;line-height:1.55;color:#1a1a1a}
h1{font-size:2rem}h2{margin-top:2.2rem;border-bottom:2px solid #0072B2;padding-bottom:.2rem}
img{max-width:100%;height:auto;display:block;margin:1rem 0}
blockquote{border-left:4px solid #E69F00;margin:1rem 0;padding:.3rem 1rem;background:#faf7f0}
blockquote footer{color:#555;font-size:.9rem}
.note{color:#444;font-size:.92rem}
table{border-collapse:collapse;display:block;overflow-x:auto}
td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}
"""


#: CSS pixels per inch at which charts are shown (see :data:`feedback.plots.CSS_DPI`).
CSS_DPI = 100


def _html_cell(cell) -> str:
    if isinstance(cell, Link):
        return f'<a href="{html.escape(cell.target)}.html">{html.escape(cell.text)}</a>'
    return html.escape(str(cell))


def render_html(report: Report, images: dict[str, bytes]) -> str:
    """The report as one self-contained HTML page (charts embedded as data URIs)."""
    import re

    def inline(text: str) -> str:
        escaped = html.escape(str(text))
        escaped = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", escaped)
        return re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)

    body: list[str] = []
    for block in report.blocks:
        kind = block[0]
        if kind in {"h1", "h2", "h3"}:
            body.append(f"<{kind}>{html.escape(block[1])}</{kind}>")
        elif kind == "p":
            body.append(f"<p>{inline(block[1])}</p>")
        elif kind == "note":
            body.append(f'<p class="note">{inline(block[1])}</p>')
        elif kind == "ul":
            items = "".join(f"<li>{inline(item)}</li>" for item in block[1])
            body.append(f"<ul>{items}</ul>")
        elif kind == "quote":
            body.append(
                f"<blockquote><p>{html.escape(block[1])}</p>"
                f"<footer>— {html.escape(block[2])}</footer></blockquote>"
            )
        elif kind == "chart":
            chart = report.charts[block[1]]
            data = base64.b64encode(images[chart.name]).decode("ascii")
            width, height = (chart.figure.get_size_inches() * CSS_DPI).round().astype(int)
            body.append(
                f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(chart.alt)}" '
                f'width="{width}" height="{height}"></figure>'
            )
        elif kind == "link":
            body.append(f"<p>{_html_cell(block[1])}</p>")
        elif kind == "table":
            header, rows = block[1], block[2]
            head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
            rows_html = "".join(
                "<tr>" + "".join(f"<td>{_html_cell(c)}</td>" for c in row) + "</tr>" for row in rows
            )
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows_html}</tbody></table>")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "img-src data:; style-src 'unsafe-inline'\">\n"
        f"<title>{html.escape(report.title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
