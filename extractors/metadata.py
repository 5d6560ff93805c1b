"""Title, agency, year and publication date, from page metadata first, then the text."""

import re

from .normalize import compact
from .vocabulary import HAN

# "洛江区财政局2020年政府信息公开工作年度报告", "…2020年度政府信息公开工作年度报告",
# "…政府信息公开工作2022年度报告", "2022年…政务信息公开年度报告", "…政府信息公开工作报告"
REPORT_TITLE_RE = re.compile(
    r"(?:(?P<y1>(?:19|20)\d{2})\s*年度?.{0,40}?(?:政府|政务)?信息公开.{0,12}?报告"
    r"|(?:政府|政务)信息公开工作\s*(?P<y2>(?:19|20)\d{2})\s*年度?报告)"
)
# "…政府信息公开工作年度报告", "…政务信息公开年度报告", "…政府信息公开工作报告"
REPORT_NAME_RE = re.compile(r"(?:政府|政务)信息公开.{0,12}?报告")
# Pages that mention a report but are not one: 解读, 图解, circulars about writing reports.
NOT_REPORT_RE = re.compile(r"解读|图解|通知|说明|答记者问|编制|工作要点|指南|目录|公示|意见")
ORG_SUFFIX = (
    r"(?:人民政府办公室|人民政府|办公室|委员会|管理局|局|厅|委|办|院|署|会|中心|所|站|馆|队|政府|街道办事处|街道|镇|乡)"
)
# "泉州市洛江区财政局" as a signature line on its own
SIGNATURE_RE = re.compile(rf"^[{HAN}（）()]{{2,30}}{ORG_SUFFIX}$")
# "2021 年 1 月 6 日", "2021-01-25", "2021年01月25日"
DATE_RE = re.compile(r"((?:19|20)\d{2})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?")
# "由鄂尔多斯市扶贫开发办公室编制", "现公布洛江区财政局2020年…", "《乌兰察布市财政局2020年度…》"
AGENCY_IN_TEXT_RES = (
    re.compile(rf"由([{HAN}]{{2,30}}?{ORG_SUFFIX})编制"),
    re.compile(rf"现(?:公布|将)([{HAN}]{{2,30}}?{ORG_SUFFIX})(?:19|20)\d{{2}}\s*年"),
    re.compile(rf"《([{HAN}]{{2,30}}?{ORG_SUFFIX})(?:19|20)\d{{2}}\s*年"),
)
# "发布机构：深圳市示例区财政局", "来源: 示例县教育局", "信息来源：…": the publisher named on the
# page, up to what is no name or the next label of the line ("…财政局成文日期：…")
NEXT_LABEL = r"成文|发布|索引|分类|名称|文号|主题|日期|时间|浏览|点击|字号|作者|【"
PUBLISHER_LINE_RE = re.compile(
    rf"(?:发布机构|发文机关|发布单位|信息来源|文章来源|来源)\s*[:：]\s*([{HAN}（）()]{{2,30}}?{ORG_SUFFIX})"
    rf"(?=[^{HAN}（）()]|$|{NEXT_LABEL})"
)
# "2019年上海市人民政府办公厅政府信息公开工作年度报告": the year first, then the agency
YEAR_FIRST_TITLE_RE = re.compile(r"^(?:19|20)\d{2}\s*年度?(.+?)(?:政府|政务)信息公开")
# "发布日期：2020-01-31", "发布时间:2021年1月25日"
PUBLISHED_LINE_RE = re.compile(r"(?:发布|成文|印发)(?:日期|时间)\s*[:：]\s*" + DATE_RE.pattern)
# "示例县财政局2020年…": the agency before the year
AGENCY_FIRST_TITLE_RE = re.compile(r"^(.+?)(?:关于)?(?:19|20)\d{2}\s*年")
ENDS_WITH_ORG_RE = re.compile(ORG_SUFFIX + "$")
# "2020年度政府信息公开…" anywhere in the text
YEAR_IN_TEXT_RE = re.compile(r"((?:19|20)\d{2})\s*年度?(?:政府|政务)信息公开")
# "统计期限为2020年1月1日至2020年12月31日"
PERIOD_RE = re.compile(r"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日\s*(?:至|到|—|-)\s*\1\s*年\s*12\s*月\s*31\s*日")


def is_report_title(title):
    """True for titles of annual disclosure reports, False for 解读/通知/… about them."""
    title = compact(title)
    return bool(REPORT_TITLE_RE.search(title)) and not NOT_REPORT_RE.search(title)


def names_a_report(title):
    """True for the title of an annual disclosure report, with its year in digits, in Chinese
    numerals ("二〇一七年度") or not at all; False for 解读/通知/… about one, and for no title."""
    title = compact(title)
    return bool(REPORT_NAME_RE.search(title)) and not NOT_REPORT_RE.search(title)


def title_year(title):
    match = REPORT_TITLE_RE.search(compact(title))
    if not match:
        return None
    return int(match["y1"] or match["y2"])


def find_title(paragraphs, hint=None):
    """The page's title when it names a report; else the first lines (a PDF may break the
    title over two or three lines: "…政府信息公开工作年度" / "报告")."""
    if hint and is_report_title(hint):
        return compact(hint)
    for start in range(min(3, len(paragraphs))):
        for count in (1, 2, 3):
            candidate = compact("".join(paragraphs[start : start + count]))
            if len(candidate) > 60:
                break
            if candidate.endswith(("报告", "报告）", "报告)")) and names_a_report(candidate):
                return candidate
    return hint


def split_signature(line):
    """'泉州市洛江区财政局2021年1月6日' -> ('泉州市洛江区财政局', '2021年1月6日')."""
    line = compact(line)
    match = DATE_RE.search(line)
    if match and match.end() == len(line):
        return line[: match.start()], match
    return line, None


def publishing_body(name):
    """The name when it names a government body ("示例县财政局"), else None ("本网", "新华社")."""
    name = compact(name or "")
    return name if SIGNATURE_RE.match(name) else None


def publisher_on_page(text):
    """The body a "发布机构：…" / "来源：…" line of the page names, or None."""
    match = PUBLISHER_LINE_RE.search(text)
    return match.group(1) if match else None


def find_agency(title, paragraphs, hint=None):
    for line in reversed(paragraphs[-6:]):
        name, _ = split_signature(line)
        if SIGNATURE_RE.match(name):
            return name
    if hint:
        return hint
    if title:
        match = AGENCY_FIRST_TITLE_RE.match(title) or YEAR_FIRST_TITLE_RE.match(title)
        if match and ENDS_WITH_ORG_RE.search(match.group(1)):
            return match.group(1)
    text = "\n".join(paragraphs[:20])
    for pattern in AGENCY_IN_TEXT_RES:
        match = pattern.search(text)
        if match:
            return match.group(1)
    return None


def find_year(title, text):
    year = title_year(title)
    if year:
        return year
    match = PERIOD_RE.search(text)
    if match:
        return int(match.group(1))
    match = YEAR_IN_TEXT_RE.search(text)
    return int(match.group(1)) if match else None


def find_published(paragraphs, hint=None):
    if hint:
        match = DATE_RE.search(hint)
        if match:
            return iso_date(match)
    for line in reversed(paragraphs[-4:]):
        name, match = split_signature(line)
        if match and (not name or SIGNATURE_RE.match(name)):
            return iso_date(match)
    for line in paragraphs[:10]:
        match = PUBLISHED_LINE_RE.search(line)
        if match:
            return iso_date(match)
    return None


def iso_date(match):
    year, month, day = (int(g) for g in match.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"
