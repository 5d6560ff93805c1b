"""Reading an HTML page's bytes as text: extractors.html.decode_html (HTTP charset, then
<meta charset>, then UTF-8, then GB18030, each tried strictly; gb2312/gbk read as GB18030)
against w3lib.encoding.html_to_unicode (HTTP charset, BOM, <meta>, then a default, decoded
with replacement), on every HTML page of the fixture portals as it is served (its bytes and
its Content-Type), plus pages whose declaration lies (GBK bytes declared UTF-8 or not at all,
UTF-8 declared gb2312), as real portals send. The floor: bytes.decode of the right codec.

    python benchmarks/charsets.py [--rounds 5]

Prints, for each reader, the pages read with replacement characters (U+FFFD: text lost) and
the microseconds a page (best of the rounds)."""

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

from w3lib.encoding import html_to_unicode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors.html import decode_html  # noqa: E402

FIXTURES = [ROOT / "govreports" / "sample_portal"] + [
    folder
    for kind in ("portals", "sites", "sites_heldout")
    for folder in (ROOT / "tests" / "fixtures" / kind).iterdir()
]


def served_pages():
    """[(name, bytes, Content-Type)] of every HTML page the fixture portals serve."""
    pages = []
    for folder in FIXTURES:
        headers = folder / "_headers.json"
        if not headers.is_file():
            continue
        for key, entry in json.loads(headers.read_text(encoding="utf-8")).items():
            content_type = entry.get("headers", {}).get("Content-Type", "")
            path = folder / entry.get("file", key).lstrip("/")
            if content_type.startswith("text/html") and path.is_file():
                data = path.read_bytes()
                if entry["headers"].get("Content-Encoding") == "gzip":  # as the client inflates it
                    data = gzip.decompress(data)
                pages.append((f"{folder.name}{key}", data, content_type))
    return pages


def lying_pages(pages):
    """Pages whose declaration lies, made from the served ones that hold Chinese text."""
    lies = []
    for name, data, content_type in pages:
        text, encoding, _ = decode_html(data, content_type.partition("charset=")[2] or None)
        if encoding != "utf-8" or not any("\u4e00" <= c <= "\u9fff" for c in text[:2000]):
            continue
        gbk = text.encode("gb18030", errors="replace")
        lies.append((f"{name} as GBK declared utf-8", gbk, "text/html; charset=utf-8"))
        lies.append((f"{name} as GBK declared nowhere", gbk.replace(b"charset=utf-8", b""), "text/html"))
        lies.append((f"{name} as UTF-8 declared gb2312", data, "text/html; charset=gb2312"))
    return lies


def by_decode_html(data, content_type):
    return decode_html(data, content_type.partition("charset=")[2] or None)[0]


def by_w3lib(data, content_type):
    return html_to_unicode(content_type, data)[1]


def measure(reader, pages, rounds):
    lost = [name for name, data, content_type in pages if "\ufffd" in reader(data, content_type)]
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for _, data, content_type in pages:
            reader(data, content_type)
        best = min(best, time.perf_counter() - start)
    return lost, best / len(pages) * 1e6


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    served = served_pages()
    lies = lying_pages(served)
    known = [decode_html(d, c.partition("charset=")[2] or None)[1] for _, d, c in served]
    floor = float("inf")
    for _ in range(args.rounds):
        start = time.perf_counter()
        for (_, data, _), codec in zip(served, known):
            data.decode(codec, errors="replace")
        floor = min(floor, time.perf_counter() - start)
    print(f"{len(served)} served pages, {len(lies)} with a lying declaration")
    print(f"floor (bytes.decode, the right codec): {floor / len(served) * 1e6:.1f} µs a page")
    for label, reader in (("decode_html", by_decode_html), ("w3lib html_to_unicode", by_w3lib)):
        for kind, pages in (("served", served), ("lying", lies)):
            lost, micros = measure(reader, pages, args.rounds)
            print(f"{label:22} {kind:7} {micros:8.1f} µs a page, {len(lost):3} of {len(pages)} with text lost")


if __name__ == "__main__":
    main()
