"""Generated documents for the crash tests: HTML structures, flattened text, DOCX packages
and PDFs, each built from a random.Random. Document i of seed s is built from
Random("s:i"), so any one case can be rebuilt alone; Hypothesis drives the same builders
through st.randoms().

    python tests/generated_documents.py FORMAT COUNT [--seed S]

extracts COUNT generated documents of FORMAT (html, text, docx, pdf) and exits 1 on the
first exception other than DocumentError. A native crash ends the process by a signal,
which the calling test reports; the number of the document being read is on stderr.
"""

import argparse
import faulthandler
import io
import random
import sys
import traceback
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors.report import DocumentError, extract_document  # noqa: E402

# the words of the reports' tables and titles, as printed (a spaced name, a count run into
# its label), for the crash tests' cells and paragraphs
LABELS = [
    "规章",
    "行政许可",
    "其他对外管理服务事项",
    "本年新收",
    "（七）总计",
    "3.其他",
    "结果维持",
    "行政复议",
    "第二十条第（五）项",
    "信息内容",
    "自 然 人",
    "行政许可3960181",
    "二〇二一年度报告",
    "政府信息公开工作年度报告",
    "收到和处理政府信息公开申请情况",
    "—",
    "-",
    "/",
    "无",
]
ODD_TEXT = [
    "",
    " ",
    "\n  ",
    "\t",
    "&nbsp;",
    "&amp;",
    "&#0;",
    "&#xFDD0;",
    "\ufdd0",
    "\ufdd3",
    "<",
    "&",
    "]]>",
    "\x00",
    "\u202e",
    "𠀀",
    "\ufeff",
    "&#1114112;",
    "&unknown;",
]


def some_text(rng):
    pick = rng.random()
    if pick < 0.45:
        return rng.choice(LABELS)
    if pick < 0.8:
        return str(rng.choice([0, 1, 7, 42, 1000, -3, 10**12, 3.5]))
    return rng.choice(ODD_TEXT)


# ---------------------------------------------------------------- HTML

CONTAINERS = [
    '<div class="TRS_Editor">',
    '<div class="TRS_UEDITOR x">',
    '<div id="UCAP-CONTENT">',
    '<div id="zoom">',
    '<div class="zw-content">',
    '<div class="pages_content">',
    '<div id="content">',
    '<div class="content">',
    '<div class="unknown-cms">',
    "<article>",
    "",
]
SPAN_VALUES = ["1", "2", "3", "0", "-1", "999999", "abc", "", "2.5"]
INLINE_TAGS = ["span", "font", "b", "o:p", "w:sdt", "st1:chsdate", "a", "strong", "u"]
BLOCK_TAGS = ["p", "div", "h1", "h3", "li", "section", "center", "pre", "blockquote"]
SKIPPED = [
    "<script>var t = '<table><tr><td>1</td></tr></table>';</script>",
    "<style>td{}</style>",
    "<noscript><table><tr><td>x</td></tr></table></noscript>",
    "<!-- <table> -->",
    "<![CDATA[<td>]]>",
    "<?php echo 1; ?>",
    '<iframe src="x"></iframe>',
    "<select><option>1</select>",
]


def closing(rng, tag):
    """A closing tag, left out now and then, as careless templates do."""
    return "" if rng.random() < 0.2 else f"</{tag}>"


def whitespace(rng):
    return rng.choice(["", "", "\n", "\n  ", " ", "\r\n\t"])


def html_table(rng, depth):
    attrs = rng.choice(["", ' class="meta"', ' border="1"', ' xmlns="http://www.w3.org/1999/xhtml"'])
    parts = [f"<table{attrs}>", whitespace(rng)]
    if rng.random() < 0.3:
        parts.append(rng.choice(["<thead>", "<tbody>", "<tfoot>", "<caption>表一</caption>"]))
    for _ in range(rng.randint(0, 5)):
        parts += ["<tr>", whitespace(rng)]
        for _ in range(rng.randint(0, 5)):
            cell = rng.choice(["td", "th"])
            spans = "".join(
                f' {name}="{rng.choice(SPAN_VALUES)}"' for name in ("rowspan", "colspan") if rng.random() < 0.25
            )
            parts += [f"<{cell}{spans}>", html_nodes(rng, depth - 1, 2), closing(rng, cell), whitespace(rng)]
        parts += [closing(rng, "tr"), whitespace(rng)]
    parts.append(closing(rng, "table"))
    return "".join(parts)


def html_node(rng, depth):
    pick = rng.random()
    if depth <= 0 or pick < 0.3:
        return some_text(rng)
    if pick < 0.5:
        return html_table(rng, depth)
    if pick < 0.65:
        tag = rng.choice(BLOCK_TAGS)
        return f"<{tag}>{html_nodes(rng, depth - 1, 3)}{closing(rng, tag)}"
    if pick < 0.75:
        tag = rng.choice(INLINE_TAGS)
        return f"<{tag}>{html_nodes(rng, depth - 1, 2)}{closing(rng, tag)}"
    if pick < 0.82:
        return rng.choice(["<br>", "<br/>", '<img src="t.png">', "<hr>", "</td>", "</table>", "</tr>", "</div>"])
    if pick < 0.9:
        return rng.choice(SKIPPED)
    container = rng.choice(CONTAINERS)
    return f"{container}{html_nodes(rng, depth - 1, 4)}{'</div>' if container.startswith('<div') else ''}"


def html_nodes(rng, depth, most):
    return "".join(html_node(rng, depth) + whitespace(rng) for _ in range(rng.randint(0, most)))


def deep_nesting(rng):
    tag = rng.choice(["div", "span", "table><tr><td", "p", "font"])
    levels = rng.choice([50, 300, 3000])
    return f"<{tag}>" * levels + "政府信息公开工作年度报告 行政许可 12" + rng.choice(["", f"</{tag}>" * levels])


def html_document(rng):
    """A page or an article body: known and unknown containers, unclosed, nested and stray
    table parts, XHTML and Office namespaces, scripts, charsets declared right or wrong."""
    charset = rng.choice(["utf-8", "gbk", "gb2312", "GB18030", "big5", "x-unknown", "utf-16", None])
    head = f'<head><meta charset="{charset}"><title>{some_text(rng)}</title></head>' if charset else ""
    prolog = rng.choice(
        [
            "",
            "<!DOCTYPE html>",
            '<?xml version="1.0" encoding="utf-8"?>',
            '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">',
        ]
    )
    html = rng.choice(
        [
            "<html>",
            '<html xmlns="http://www.w3.org/1999/xhtml">',
            '<html xmlns:o="urn:schemas-microsoft-com:office:office">',
            "",
        ]
    )
    body = deep_nesting(rng) if rng.random() < 0.03 else html_nodes(rng, rng.randint(1, 4), 6)
    wrapped = rng.random() < 0.8
    page = (
        prolog
        + html
        + head
        + ("<body>" if wrapped else "")
        + body
        + (closing(rng, "body") + closing(rng, "html") if wrapped else "")
    )
    return page.encode(rng.choice(["utf-8", "gb18030"]), errors="replace")


# ---------------------------------------------------------------- text


def text_document(rng):
    """Lines of prose and the three flattenings of tables (cell per line, tabs, pipes)."""
    lines = []
    for _ in range(rng.randint(0, 40)):
        cells = [some_text(rng) for _ in range(rng.randint(1, 5))]
        style = rng.choice(["prose", "cell", "tabs", "pipes", "bare pipes"])
        if style == "prose":
            lines.append("".join(cells))
        elif style == "cell":
            lines.append(f"{cells[0]} |")
        elif style == "tabs":
            lines.append("\t".join(cells))
        elif style == "pipes":
            lines.append(" | ".join(cells))
        else:
            lines.append("|" * rng.randint(1, 6))
    text = rng.choice(["\n", "\r\n", "\r"]).join(lines)
    data = text.encode(rng.choice(["utf-8", "utf-8-sig", "gb18030", "utf-16"]), errors="replace")
    return mutate(rng, data) if rng.random() < 0.2 else data


def mutate(rng, data):
    """Flip, insert or cut bytes: the damage of a broken transfer or a bad disk."""
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if not data:
            break
        at = rng.randrange(len(data))
        action = rng.random()
        if action < 0.6:
            data[at] = rng.randrange(256)
        elif action < 0.8:
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        else:
            del data[at:]
    return bytes(data)


# ---------------------------------------------------------------- DOCX

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_paragraph(rng):
    runs = "".join(
        rng.choice(
            [
                f"<w:r><w:t>{some_text(rng).replace('&', '&amp;').replace('<', '&lt;')}</w:t></w:r>",
                "<w:r><w:tab/></w:r>",
                "<w:r><w:br/></w:r>",
                "<w:r><w:cr/></w:r>",
                "<w:r/>",
            ]
        )
        for _ in range(rng.randint(0, 4))
    )
    return f"<w:p>{runs}</w:p>"


def docx_table(rng, depth):
    rows = []
    for _ in range(rng.randint(0, 5)):
        before = f'<w:trPr><w:gridBefore w:val="{rng.choice(SPAN_VALUES)}"/></w:trPr>' if rng.random() < 0.1 else ""
        cells = []
        for _ in range(rng.randint(0, 5)):
            props = ""
            if rng.random() < 0.3:
                props += f'<w:gridSpan w:val="{rng.choice(SPAN_VALUES)}"/>'
            if rng.random() < 0.3:
                props += rng.choice(['<w:vMerge w:val="restart"/>', "<w:vMerge/>", '<w:vMerge w:val="x"/>'])
            inner = docx_table(rng, depth - 1) if depth > 0 and rng.random() < 0.1 else ""
            cells.append(f"<w:tc><w:tcPr>{props}</w:tcPr>{docx_paragraph(rng)}{inner}</w:tc>")
        rows.append(f"<w:tr>{before}{''.join(cells)}</w:tr>")
    return f"<w:tbl>{''.join(rows)}</w:tbl>"


def docx_document(rng):
    """A Word package: paragraphs and tables with grid spans and vertical merges whose
    values may be nonsense; now and then a damaged package or document.xml."""
    blocks = "".join(
        docx_table(rng, 2) if rng.random() < 0.4 else docx_paragraph(rng) for _ in range(rng.randint(0, 8))
    )
    xml = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>{blocks}</w:body></w:document>'
    if rng.random() < 0.1:
        xml = rng.choice([xml[: rng.randrange(len(xml))], xml.replace("w:body", "w:bodi"), "<w:document/>", "", "\x00"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", rng.choice([zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(rng.choice(["word/document.xml"] * 9 + ["word/other.xml"]), xml.encode("utf-8"))
    data = buffer.getvalue()
    return mutate(rng, data) if rng.random() < 0.15 else data


# ---------------------------------------------------------------- PDF


def pdf_content(rng):
    """A page's content stream: text, ruling lines and rectangles at odd places."""
    ops = []
    number = lambda: rng.choice([0, 10, 72, 300, 595.3, -50, 1e6, 0.001])  # noqa: E731
    for _ in range(rng.randint(0, 30)):
        pick = rng.random()
        if pick < 0.4:
            word = rng.choice(["Total 12", "3", "(", "\\", "0 0 0", "x" * 50])
            escaped = word.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"BT /F1 {rng.choice([0, 1, 12, 1000])} Tf {number()} {number()} Td ({escaped}) Tj ET")
        elif pick < 0.7:
            ops.append(f"{number()} {number()} m {number()} {number()} l S")
        elif pick < 0.9:
            ops.append(f"{number()} {number()} {number()} {number()} re {rng.choice(['S', 'f', 'B', 'n'])}")
        else:
            ops.append(rng.choice(["q", "Q", "1 0 0 1 50 50 cm", "2 w", "0 0 0 RG", "W n", "BT", "ET", "Tj"]))
    return "\n".join(ops).encode("latin-1")


def pdf_document(rng):
    """A small PDF with a few pages of text and ruling lines, at odd sizes; now and then
    damaged (bytes flipped, cut, a wrong cross-reference table)."""
    pages = rng.randint(0, 3)
    box = rng.choice(["0 0 595 842", "0 0 842 595", "0 0 0 0", "0 0 -100 100", "0 0 14400 14400"])
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(pages))
        + b"] /Count %d >>" % pages,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i in range(pages):
        stream = pdf_content(rng)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox ["
            + box.encode()
            + b"] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * i)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return mutate(rng, bytes(out)) if rng.random() < 0.3 else bytes(out)


BUILDERS = {"html": html_document, "text": text_document, "docx": docx_document, "pdf": pdf_document}
SUFFIXES = {"html": ".html", "text": ".txt", "docx": ".docx", "pdf": ".pdf"}


def extract_generated(fmt, count, seed):
    """Extract count generated documents; the first unexpected exception's report, or None."""
    for index in range(count):
        print(index, file=sys.stderr, flush=True)  # the document a native crash stopped at
        data = BUILDERS[fmt](random.Random(f"{seed}:{index}"))
        try:
            extract_document(data, name="generated" + SUFFIXES[fmt])
        except DocumentError:
            continue
        except Exception:  # noqa: BLE001 - any other exception is what this run looks for
            return f"document {index} of seed {seed}: {traceback.format_exc()}"
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("format", choices=sorted(BUILDERS))
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", default="0")
    args = parser.parse_args()
    faulthandler.enable()
    problem = extract_generated(args.format, args.count, args.seed)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
