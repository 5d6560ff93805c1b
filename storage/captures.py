"""The statements the archived-copy pages read with (govreports/capture_page.py,
report_page.py): one capture, the other captures of its URL, the archived copy of each link
inside a page, and the report a capture belongs to (for its download name)."""

CAPTURE = (
    "select rowid, url, sha256, status, fetched_at, content_type, size, warc_file, warc_offset "
    "from fetches where rowid = ?"
)

CAPTURES_OF_URL = (
    "select rowid, fetched_at, sha256, status, content_type from fetches "
    "where url = ? and warc_file is not null order by fetched_at desc limit 50"
)


def archived_copies(count):
    """For `count` URLs (bound as ?s, each given twice: once as a URL, once as an alias): each
    URL archived with an answer (2xx), newest capture first, as (asked, rowid, content_type).
    An alias (url_aliases: another URL of the same document, a big5 gateway link, a `_wap`
    page) gives the capture of the document's URL."""
    marks = ",".join("?" * count)
    return (
        "select f.url as asked, f.rowid, f.content_type, f.fetched_at from fetches f "
        f"where f.url in ({marks}) and f.warc_file is not null and f.status between 200 and 299 "
        "union all select a.alias, f.rowid, f.content_type, f.fetched_at from url_aliases a "
        "join fetches f on f.url = a.url "
        f"where a.alias in ({marks}) and f.warc_file is not null and f.status between 200 and 299 "
        "order by 4 desc"
    )


# The report a capture is the page or an attachment of: its agency, year and title
REPORT_OF_URL = """
    select id, agency, year, title from report_rows where url = :url
    union all select r.id, r.agency, r.year, r.title from documents d join report_rows r on r.url = d.parent_url
      where d.url = :url
    limit 1"""
