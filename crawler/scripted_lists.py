"""What shows that a list page's list is filled by script after it loads: one pattern for the
crawl's render trigger (crawler/render.py) and for recording a list left unread
(crawler/silent_zeros.py)."""

import re

# A call that fetches the rows, or an app that draws them: jQuery's $.ajax / $.get / $.post /
# $.getJSON / .load("url"), fetch(, axios, XMLHttpRequest; a JSONP loader (a script element made
# and pointed at the list: createElement("script"), "list.jsonp?callback=listCallback&page=2");
# Vue / Angular / React shells (new Vue(, createApp(, v-for=, ng-repeat=, ReactDOM)
LIST_LOADER_RE = re.compile(
    r"\$\.(?:ajax|get|post|getJSON)\s*\(|\.load\s*\(\s*['\"]|\bfetch\s*\(|\baxios\b|XMLHttpRequest"
    r"|createElement\s*\(\s*['\"]script['\"]\s*\)|[?&]callback=|\bjsonp\b"
    r"|new\s+Vue\s*\(|\bcreateApp\s*\(|\bv-for\s*=|\bng-repeat\s*=|ReactDOM"
)
