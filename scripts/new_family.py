"""Start a new CMS family from templates (scripts/family_template/): its module, its fixture
portal (site.json and the builder script that declares its pages and expected.json on the one
kit of every fixture portal, Portal in scripts/fixturekit/portal.py) and its test. Then follow crawler/families/README.md: fill in the markers and patterns, build the
fixture from real pages' structure, run the tests.

    python scripts/new_family.py NAME [--root DIR]

NAME is what a registry's `family:` will say (lower case, letters, digits, `_`). Nothing is
overwritten: a name whose module, fixture or test exists is refused.
"""

import argparse
import ast
import keyword
import re
import sys
from pathlib import Path
from string import Template

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "family_template"
NAME_RE = re.compile(r"[a-z][a-z0-9_]*")
DETECTION_STEP = 10  # between the detection orders of the families


def outputs(name):
    """{path under the checkout: template} of what a family starts with."""
    return {
        f"crawler/families/{name}.py": "family.py.tmpl",
        f"tests/fixtures/portals/{name}/site.json": "site.json.tmpl",
        f"scripts/build_{name}_fixture.py": "build_fixture.py.tmpl",
        f"tests/crawler/test_family_{name}.py": "test_family.py.tmpl",
    }


def detection_orders(root):
    """The detection orders the family modules of this checkout and of root declare."""
    orders = []
    for path in {*(ROOT / "crawler" / "families").glob("*.py"), *(root / "crawler" / "families").glob("*.py")}:
        orders += [int(n) for n in re.findall(r"^\s+detection_order\s*=\s*(\d+)", path.read_text(), re.M)]
    return [n for n in orders if n < 1000]  # the generic fallback is tried last


def fields(name, root):
    """The values the templates are filled with."""
    return {
        "name": name,
        "class_name": "".join(part.capitalize() for part in name.split("_")) + "Family",
        "detection_order": max(detection_orders(root), default=0) + DETECTION_STEP,
        "host": f"www.{name.replace('_', '-')}-shili.gov.cn",  # made up, like the other fixture hosts
    }


def check_name(name, root):
    """Why a family cannot take this name, or None."""
    if not NAME_RE.fullmatch(name) or keyword.iskeyword(name):
        return f"{name!r}: a family name is lower case letters, digits and _, starting with a letter"
    if name == "generic":
        return "'generic' is the fallback family"
    taken = [path for path in outputs(name) if (root / path).exists()]
    if taken:
        return f"{name!r} is taken: {', '.join(taken)} already there"
    return None


def write_family(name, root):
    """Write the family's files under root; [paths written]."""
    values = fields(name, root)
    written = []
    for path, template in outputs(name).items():
        text = Template((TEMPLATES / template).read_text(encoding="utf-8")).substitute(values)
        if path.endswith(".py"):
            ast.parse(text)  # a template that does not fill into Python is a bug here, not later
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("name", help="the family's name, as a registry's `family:` will say it")
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to write into (default: this one)")
    args = parser.parse_args(argv)
    problem = check_name(args.name, args.root)
    if problem:
        print(f"new_family: {problem}", file=sys.stderr)
        return 2
    for path in write_family(args.name, args.root):
        print(f"wrote {path}")
    print(
        f"next: crawler/families/README.md. Fill in the family's markers and patterns, make "
        f"scripts/build_{args.name}_fixture.py write the CMS's page structure (on fixturekit.portal's "
        f"Portal) and run it, then "
        f"pytest tests/crawler/test_family_{args.name}.py tests/crawler/test_all_families.py"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
