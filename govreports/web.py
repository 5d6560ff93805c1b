"""What the researcher's pages share (served by the Datasette plugin, datasette_plugin.py):
our templates compiled in Datasette's environment (so they extend its base.html and share its
look and navigation), links only to http(s) addresses, row numbers read safely. The pages
themselves: /-/search (search_page.py), /<db>/reports/<id> (report_page.py), the archived
copies (capture_page.py), agencies and the compliance grid (agency_pages.py), the comparison
(compare_page.py), the feeds (changes_feeds.py, agency_pages.py).
"""

import re
from pathlib import Path

from datasette import Response
from datasette.utils.asgi import NotFound

TEMPLATES = Path(__file__).resolve().parent / "datasette" / "templates"
LARGEST_ROWID = 2**63 - 1  # SQLite's largest integer


_compiled = {}  # template name -> (the Jinja environment it was compiled in, template)


def template(datasette, name):
    """One of our templates, compiled once in Datasette's environment (so it can extend
    base.html)."""
    env = datasette.jinja_env
    cached = _compiled.get(name)
    if cached is None or cached[0] is not env:
        cached = _compiled[name] = (env, env.from_string((TEMPLATES / name).read_text(encoding="utf-8")))
    return cached[1]


def web_link(url):
    """url when it is an http(s) address a page may link to; None for anything else a stored URL
    could hold (javascript:, data:, a relative path)."""
    if isinstance(url, str) and re.match(r"(?i)https?://[^\s/]", url.strip()):
        return url.strip()
    return None


def database_of(datasette, request):
    """The database the path names (`/<db>/...`); 404 for a name that is none."""
    try:
        return datasette.get_database(request.url_vars["database"])
    except KeyError:
        raise NotFound("no such database") from None


async def render(datasette, request, name, context):
    return Response.html(await datasette.render_template(template(datasette, name), context, request=request))


def bounded_int(text):
    """text as a row number: ASCII digits within SQLite's integers; None for anything else."""
    if not (text.isascii() and text.isdigit()) or len(text) > 19 or int(text) > LARGEST_ROWID:
        return None
    return int(text)
