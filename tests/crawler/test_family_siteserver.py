"""siteserver: SiteServer CMS's static pages. Its fixture portal exercises the channel's pager
(/channels/1583.html, then /channels/1583_2.html by 下一页; on the last page 下一页 is plain
text), content URLs /contents/{channel}/{id}.html as candidates and document keys, a report
only as a PDF under /upload/files/, a 通知 and a 图解 in the list."""

from urllib.parse import urlsplit

import pytest
from fixture_responses import site_response
from helpers import FIXTURES, assert_portal_reports, crawl_fixture_portal, site

from crawler.families import FAMILIES, family_for

PORTAL = FIXTURES / "portals" / "siteserver"
FAMILY = FAMILIES["siteserver"]
BASE = "http://www.siteserver-shili.gov.cn"


def first_list_page():
    """The fixture portal's first list page, as the crawl receives it."""
    url = urlsplit(site(PORTAL)["start_urls"][0])
    return site_response(PORTAL, url.path, f"{url.scheme}://{url.netloc}")


@pytest.mark.unit
def test_its_list_page_is_recognised_by_its_markers():
    assert family_for(None, first_list_page()).name == "siteserver"


@pytest.mark.unit
def test_the_pager_leads_to_the_next_page_and_stops_on_the_last():
    assert FAMILY.next_pages(first_list_page()) == [f"{BASE}/channels/1583_2.html"]
    assert FAMILY.next_pages(site_response(PORTAL, "/channels/1583_2.html", BASE)) == []


@pytest.mark.unit
def test_contents_are_candidates_keyed_by_their_content_id():
    links = FAMILY.report_links(first_list_page(), in_column=True)
    assert [urlsplit(link.url).path for link in links] == [
        "/contents/1583/27701.html",
        "/contents/1583/27690.html",
        "/contents/1583/27702.html",
    ]
    assert FAMILY.document_key(f"{BASE}/contents/1583/27701.html") == "siteserver:27701"


def test_every_report_is_found_with_its_facts(tmp_path):
    db, base = crawl_fixture_portal("siteserver", tmp_path)
    # the report published only as a PDF (tests/fixtures/documents/chrome_doc001.pdf): its 198 facts
    assert_portal_reports("siteserver", db, base, attachment_format="pdf", attachment_facts=198)
