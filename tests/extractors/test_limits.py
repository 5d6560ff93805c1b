"""Limits on compressed and nested input: ZIP members, YAML registries, `govreports extract`."""

import io
import struct
import zipfile

import pytest

from extractors.report import DocumentError, extract_document

pytestmark = pytest.mark.unit  # no network, no fixture portal: make test-fast runs it

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
PARAGRAPH = "<w:p><w:r><w:t>政府信息公开工作年度报告</w:t></w:r></w:p>"


def docx_with_paragraphs(count, chunk=10_000):
    """A DOCX whose word/document.xml holds count paragraphs, written in chunks (a bomb
    when count is large: it compresses about 160:1)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        with package.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>'.encode())
            for written in range(0, count, chunk):
                member.write((PARAGRAPH * min(chunk, count - written)).encode())
            member.write(b"</w:body></w:document>")
    return buffer.getvalue()


def docx_package(xml):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", xml)
    return buffer.getvalue()


def test_a_docx_member_that_inflates_past_the_cap_is_refused_unread():
    bomb = docx_with_paragraphs(2_000_000)  # 132 MiB of XML in 0.8 MiB
    assert len(bomb) < 2**20
    with pytest.raises(DocumentError, match="ZIP bomb"):
        extract_document(bomb, name="bomb.docx")


def test_a_docx_whose_header_understates_the_size_is_refused_as_damaged():
    data = docx_package(f'<w:document xmlns:w="{W}"><w:body>{PARAGRAPH * 20_000}</w:body></w:document>')
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        size = package.getinfo("word/document.xml").file_size
    lying = data.replace(struct.pack("<I", size), struct.pack("<I", 1000))  # local and central headers
    assert lying.count(struct.pack("<I", 1000)) == 2
    with pytest.raises(DocumentError, match="damaged"):
        extract_document(lying, name="lying.docx")


@pytest.mark.parametrize("xml", [b"", b"<w:document", b"<?xml version='1.0'?><a>&undefined;</a>"])
def test_a_docx_with_broken_xml_is_a_document_error(xml):
    with pytest.raises(DocumentError, match="not well-formed"):
        extract_document(docx_package(xml), name="broken.docx")


def test_nonsense_grid_spans_read_as_one_column():
    xml = (
        f'<w:document xmlns:w="{W}"><w:body>{PARAGRAPH}<w:tbl><w:tr>'
        '<w:tc><w:tcPr><w:gridSpan w:val="abc"/></w:tcPr><w:p><w:r><w:t>行政许可</w:t></w:r></w:p></w:tc>'
        "<w:tc><w:p><w:r><w:t>3</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>"
    )
    from extractors.docx import read_docx

    blocks, _ = read_docx(docx_package(xml))
    assert blocks[-1].rows == [["行政许可", "3"]]
