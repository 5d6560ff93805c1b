"""A county portal behind a script challenge (a 瑞数/Ruishu-style anti-bot gateway): every page
a plain client asks for, the home page and the 信息公开 column alike, answers HTTP 412 with a
short shell page (a <meta> holding an encoded blob, an inline script that sets `$_ts` and an
external script that computes a cookie, an empty body) and a Set-Cookie ending in `80S`.
A browser runs the scripts, gets a second cookie and loads the page again; the crawler does
not. Expected: no report, one `blocked_by_challenge` failure for the portal, no retry."""

import string

SITE = {
    "stem": "ruishu_challenge",
    "host": "www.qingquanxian.gov.cn",
    "family": None,
    "start_paths": ["/index.html", "/xxgk/zfxxgknb/index.html"],
    "seen_at": [
        "Ruishu (瑞数) dynamic-security gateways on government sites: HTTP 412 Precondition Failed to any client "
        "without its cookies, a body of <meta r='m'> + <script r='m'>$_ts=window['$_ts'];...$_ts.cd=\"...\"</script> "
        "+ an external <script src=\"/<random>/<random>.js\" r='m'>, an empty <body>, and Set-Cookie <name>80S=...: "
        "the structure described in public write-ups of the gateway (not found in the stored code corpus; "
        "written from those descriptions, no script of theirs copied)",
        "challenge pages that set a cookie by script and load the page again: code index, "
        "0x08e/SENginx neusoft/ngx_http_robot_mitigation/ngx_http_robot_mitigation_tpl.c "
        '(<body onload="challenge();"> + a script setting document.cookie and calling location.reload)',
        "issue 23: 'sites that answer plain clients with HTTP 412/521 and a script challenge (many government sites do)'",
    ],
    "structures": [
        "every page answers HTTP 412 with a script shell and a cookie",
        "two start URLs (home page and 年报 column), both challenged",
        "robots.txt challenged too",
    ],
    "note": "No report can be read: expected.json lists none, and one failure of kind blocked_by_challenge "
    "(`failures`), at whichever start URL answered first. The crawl must send one request per start URL at most "
    "(never a retry) and no request after the first challenge.",
}

SHELL = """<!DOCTYPE html>
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta http-equiv="Pragma" content="no-cache">
<meta http-equiv="Cache-Control" content="no-cache, no-store, must-revalidate">
<meta http-equiv="Expires" content="0">
<meta id="{meta_id}" content="{blob}" r='m'>
<script type="text/javascript" r='m'>$_ts=window['$_ts'];if(!$_ts)$_ts=window['$_ts']={{}};$_ts.nsd={nsd};$_ts.cd="{cd}";</script>
<script type="text/javascript" charset="utf-8" src="/{folder}/{script}.js" r='m'></script>
</head>
<body>
</body>
</html>
"""
ALPHABET = string.ascii_letters + string.digits


def token(rng, length, alphabet=ALPHABET):
    return "".join(rng.choice(alphabet) for _ in range(length))


def build(site, rng):
    folder, script = token(rng, 13), f"{token(rng, 1)}.{token(rng, 8)}.{token(rng, 7, string.hexdigits.lower())}"
    cookie_name = f"{token(rng, 16)}80S"
    for path in ("/index.html", "/xxgk/zfxxgknb/index.html", "/robots.txt"):
        shell = SHELL.format(
            meta_id=token(rng, 22),
            blob=token(rng, 600, ALPHABET + "._"),
            nsd=rng.randrange(10_000, 99_999),
            cd=token(rng, 400, ALPHABET + "._"),
            folder=folder,
            script=script,
        )
        cookie = (
            f"{cookie_name}={token(rng, 64, ALPHABET + '._')}; Path=/; expires=Sun, 05 Dec 2027 00:00:00 GMT; HttpOnly"
        )
        site.challenge(path, shell, 412, cookie)
    site.failure("blocked_by_challenge")
