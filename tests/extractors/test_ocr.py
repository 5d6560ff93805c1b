"""Tables published as pictures (issue 18): read by OCR cell by cell, every value flagged
`ocr` with a confidence, a doubtful cell left out and reported, never guessed; OCR runs only
where a document has no text tables. Fixtures: scripts/build_ocr_corpus.py."""

import io
import json
from pathlib import Path

import numpy
import pytest
from PIL import Image, ImageDraw, ImageFont

from extractors.html import table_image_urls
from extractors.ocr import UNREADABLE, judged, read_table_image
from extractors.report import extract_document
from extractors.tables import Table, map_tables

OCR_DOCUMENTS = Path(__file__).parents[1] / "fixtures" / "ocr_documents"
OCR_CORPUS = Path(__file__).parents[1] / "fixtures" / "ocr"
PAGE_URL = "http://www.example.gov.cn/xxgk/2023/art_1.html"


def truth_of(path):
    truth = json.loads(path.with_name(path.name + ".truth.json").read_text(encoding="utf-8"))
    return truth["layout"], {(f["table"], f["row"], f["col"]): f["value"] for f in truth["facts"]}


def facts_of(result):
    return {(f["table"], f["row"], f["col"]): f for f in result["facts"]}


def assert_read_without_guessing(result, truth, at_least):
    """Every value given is the true one, flagged ocr, with a confidence; most are given."""
    facts = facts_of(result)
    assert {key: fact["value"] for key, fact in facts.items()} == {key: truth[key] for key in facts}
    assert all("ocr" in fact["flags"] and 0 < fact["confidence"] <= 1 for fact in facts.values())
    assert len(facts) >= at_least * len(truth)


@pytest.fixture(scope="module")
def article():
    path = OCR_DOCUMENTS / "ocr_article_pictures.html"
    images = {
        f"http://www.example.gov.cn/images/ocr_article_t{n}.png": (OCR_DOCUMENTS / f"ocr_article_t{n}.png").read_bytes()
        for n in (2, 3)
    }
    return path, extract_document(path.read_bytes(), name=path.name, url=PAGE_URL, images=images)


def test_an_articles_table_pictures_are_read(article):
    path, result = article
    layout, truth = truth_of(path)
    assert result["layout"] == layout and result["missing_tables"] == []
    assert_read_without_guessing(result, truth, at_least=0.99)
    assert "tables_read_by_ocr" in [w["kind"] for w in result["warnings"]]
    assert "tables_as_images" not in [c["rule"] for c in result["checks"]]
    # the tables' rows join the text where the pictures stood
    assert "行政许可" in result["sections"]["proactive"] and "行政许可" not in result["sections"]["requests"]


def test_the_crawl_fetches_only_the_articles_pictures():
    data = (OCR_DOCUMENTS / "ocr_article_pictures.html").read_bytes()
    assert table_image_urls(data, PAGE_URL) == [
        "http://www.example.gov.cn/images/ocr_article_t2.png",
        "http://www.example.gov.cn/images/ocr_article_t3.png",
    ]


def test_pictures_not_fetched_leave_their_tables_missing_and_say_so():
    path = OCR_DOCUMENTS / "ocr_article_pictures.html"
    result = extract_document(path.read_bytes(), name=path.name, url=PAGE_URL)
    assert result["missing_tables"] == ["t2", "t3"]  # 表四 is inlined as a data: URI, read
    assert {w["kind"] for w in result["warnings"]} >= {"images_not_fetched", "tables_read_by_ocr"}


@pytest.mark.parametrize(
    "name,warning", [("ocr_scanned.pdf", None), ("ocr_undecodable_text.pdf", "text_layer_undecodable")]
)
def test_pdf_pages_that_are_pictures_are_read(name, warning):
    path = OCR_DOCUMENTS / name
    layout, truth = truth_of(path)
    result = extract_document(path.read_bytes(), name=name)
    assert result["layout"] == layout
    assert_read_without_guessing(result, truth, at_least=0.9)
    kinds = [w["kind"] for w in result["warnings"]]
    if warning:
        assert warning in kinds
        assert "ä¿¡" not in result["text"] and "æ" not in result["text"]  # the mojibake is not stored as text


def test_a_smudged_number_is_left_out_and_reported():
    """A blot over one number: that cell gets no fact and a finding; its row's other cells stay."""
    image = Image.open(OCR_CORPUS / "synthetic_21_t4_clean_150.png").convert("L")
    assert len(map_tables([read_table_image(png(image))], "2019").facts) == 15
    ImageDraw.Draw(image).ellipse(first_number_box(image), fill=90)  # the first number of the last row
    mapping = map_tables([read_table_image(png(image))], "2019")
    assert ("t4", "review", "upheld") not in mapping.facts and len(mapping.facts) == 14
    assert ("ocr_unreadable", "t4 review upheld: left out, not read with enough confidence") in mapping.problems


def png(image):
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def first_number_box(image):
    """Where the first number of the last row sits: found from the picture's own ink."""
    from extractors import ocr

    rows = ocr.find_cells(ocr.decode(png(image)))
    top, left, bottom, right = (rows[-1][0].top, rows[-1][0].left, rows[-1][0].bottom, rows[-1][0].right)
    cx, cy = (left + right) // 2, (top + bottom) // 2
    return (cx - 12, cy - 9, cx + 8, cy + 9)


def test_a_doubtful_or_digit_like_cell_becomes_unreadable_never_a_number():
    assert judged("18", 0.99, 0.9) == "18"
    assert judged("18", 0.6, 0.9) == UNREADABLE
    assert judged("1O", 0.99, 0.9) == UNREADABLE
    assert judged("结果维持", 0.5, 0.9) == "结果维持"
    rows = [["结果维持"] * 5, [UNREADABLE, *["1"] * 14]]
    mapping = map_tables([Table(rows=rows, ocr_confidence={})], "2021")
    assert ("t4", "review", "upheld") not in mapping.facts and len(mapping.facts) == 14
    assert mapping.facts[("t4", "review", "total")]["flags"] == ["ocr"]


def test_ocr_never_runs_where_the_document_has_text_tables(monkeypatch):
    from extractors import ocr

    def refuse(*args, **kwargs):
        raise AssertionError("OCR ran on a document with text tables")

    monkeypatch.setattr(ocr, "read_table_image", refuse)
    monkeypatch.setattr(ocr, "table_from_grey", refuse)
    documents = Path(__file__).parents[1] / "fixtures" / "documents"
    for name in ("real_shanghai_2019.html", "chrome_doc003.pdf", "wps_hongze_2023.pdf"):
        page = (documents / name).read_bytes()
        if name.endswith(".html"):
            page = page.replace(b"</p>", b'<img src="/x.png"/></p>', 1)
        assert extract_document(page, name=name, url=PAGE_URL, images={"http://www.example.gov.cn/x.png": b"x"})[
            "facts"
        ]


def test_a_minus_sign_seen_but_not_read_leaves_the_cell_out():
    """In a 96 dpi JPEG (quality 25) scan the recogniser reads the "-3" of 行政事业性收费 本年增/减
    as "3" with confidence 0.90: the flat mark before the digit keeps it from being stored."""
    name = "synthetic_21_t2_harsh_96.jpg"
    truth = json.loads((OCR_CORPUS / "truth.json").read_text(encoding="utf-8"))[name]
    expected = {(t, r, c): v for t, r, c, v in truth["facts"]}
    facts = map_tables([read_table_image((OCR_CORPUS / name).read_bytes())], truth["layout"]).facts
    assert expected[("t2", "fees", "change")] == -3 and ("t2", "fees", "change") not in facts
    assert all(fact["value"] == expected[key] for key, fact in facts.items())


SCREEN_PICTURES = ("seed_doc001_t4_screen.jpg", "seed_doc004_t2_screen.png")


@pytest.mark.parametrize("name", SCREEN_PICTURES)
def test_screen_resolution_pictures_are_read_whole(name):
    """Screenshots (issue 27): the table 800 px wide at 96 dpi, 1-px light grey ruling, 12-14 px
    antialiased digits, zeros printed as 0 or left blank: every cell read, none wrong."""
    truth = json.loads((OCR_CORPUS / "truth.json").read_text(encoding="utf-8"))[name]
    expected = {(t, r, c): v for t, r, c, v in truth["facts"]}
    facts = map_tables([read_table_image((OCR_CORPUS / name).read_bytes())], truth["layout"]).facts
    assert {key: fact["value"] for key, fact in facts.items()} == expected


def test_a_mark_in_a_blank_cell_leaves_it_out_not_read_as_blank():
    """A blank cell is a 0 the report left empty; a cell with a mark that is no line of text
    (a stray dash) is not blank: it is left out and reported, never filled with 0."""
    from extractors import keys

    name = "seed_doc002_t4_screen.png"
    layout = json.loads((OCR_CORPUS / "truth.json").read_text(encoding="utf-8"))[name]["layout"]
    image = Image.open(OCR_CORPUS / name).convert("L")
    before = map_tables([read_table_image(png(image))], layout)
    at, (left, top, right, bottom) = next(
        (at, box) for at, box in enumerate(last_row_cells(image)) if blank(image, box)
    )
    key = ("t4", keys.T4_ROWS[at // 5], keys.T4_COLUMNS[at % 5])
    assert before.facts[key]["value"] == 0 and "blank" in before.facts[key]["flags"]
    cx, cy = (left + right) // 2, (top + bottom) // 2
    ImageDraw.Draw(image).rectangle((cx - 3, cy, cx + 2, cy + 1), fill=60)  # a dash, lower than a glyph
    after = map_tables([read_table_image(png(image))], layout)
    assert key not in after.facts and len(after.facts) == 14
    assert ("ocr_unreadable", f"{' '.join(key)}: left out, not read with enough confidence") in after.problems


def last_row_cells(image):
    """The boxes (left, top, right, bottom) of the last row's cells, found from the ruling:
    rows and columns of pixels darker than the paper nearly all along."""
    dark = numpy.asarray(image) < 240
    rules = [y for y in range(dark.shape[0]) if dark[y].mean() > 0.5]
    top, bottom = rules[-2] + 1, rules[-1]
    columns = [x for x in range(dark.shape[1]) if dark[top:bottom, x].all()]
    return [(a + 1, top, b, bottom) for a, b in zip(columns, columns[1:]) if b - a > 2]


def blank(image, box):
    return (numpy.asarray(image.crop(box)) >= 240).all()


def glyph_ink(character):
    from extractors import ocr

    image = Image.new("L", (40, 48), 255)
    font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 28)
    ImageDraw.Draw(image).text((10, 2), character, fill=30, font=font)
    return ocr.binary(numpy.asarray(image))


@pytest.mark.parametrize("character,ring", [("0", True), ("6", False), ("9", False), ("8", False), ("4", False)])
def test_only_a_zeros_shape_confirms_a_zero(character, ring):
    from extractors import ocr

    ink = glyph_ink(character)
    assert ocr.is_ring(ink, (0, 0, *ink.shape), min_height=12) is ring


def test_a_doubtful_number_is_confirmed_only_by_the_same_reading_of_its_larger_crop(monkeypatch):
    """An upscaled picture's doubtful number is read again from its larger crop: the same text
    takes the better confidence, another text leaves it doubtful; without a larger crop (a
    picture not upscaled) nothing is read again."""
    from extractors import ocr

    again = {"large 3": ("3", 0.9), "large 5": ("6", 0.95)}
    monkeypatch.setattr(ocr, "recognizer", lambda engine: lambda crops: [again[crop] for crop in crops])
    cells = [
        ocr.Cell(0, 0, 9, 9, lines=["3"], large_lines=["large 3"]),
        ocr.Cell(0, 9, 9, 18, lines=["5"], large_lines=["large 5"]),
        ocr.Cell(0, 18, 9, 27, lines=["8"], large_lines=[]),
    ]
    texts = [("3", 0.7), ("5", 0.7), ("8", 0.7)]
    assert ocr.second_look(cells, texts, "rapidocr") == [("3", 0.9), ("5", 0.7), ("8", 0.7)]
