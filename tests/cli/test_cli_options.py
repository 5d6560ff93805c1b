"""The command line on click: help for every option, --version, Scrapy's log quiet unless -v,
and the demo ending with where to start."""

import re

import click
import pytest
import yaml
from helpers import SAMPLE_HOST, run_cli

from fixturekit.fixture_site import free_port
from govreports import cli
from govreports.fixture_server import SAMPLE_PORTAL, FixtureServer


def every_command(group=cli.govreports, path=()):
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from every_command(command, (*path, name))
        else:
            yield (*path, name), command


@pytest.mark.unit
def test_every_option_of_every_command_has_help():
    commands = dict(every_command())
    assert set(commands) >= {("crawl",), ("scout",), ("portals", "check"), ("extract",), ("reextract",)}
    assert set(commands) >= {("serve",), ("demo",), ("export",)}
    for path, command in commands.items():
        assert command.help, path
        for option in command.params:
            if isinstance(option, click.Option):
                assert option.help and len(option.help) > 10, (path, option.name)
    for option in ("--db", "--port", "--portal", "--portals", "--region", "--level", "--set", "--url"):
        assert any(option in o.opts for _, c in commands.items() for o in c.params), option


@pytest.mark.unit
def test_help_and_version_and_a_usage_mistake(capsys):
    assert cli.main(["--help"]) == 0
    assert "crawl" in capsys.readouterr().out
    assert cli.main(["serve", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--port N" in out and "Port of the Datasette server" in out and "--db PATH" in out
    assert cli.main(["--version"]) == 0
    assert re.fullmatch(r"govreports \d+\.\d+\.\d+ \(extractor [\w.]+\)\n", capsys.readouterr().out)
    assert cli.main(["crawl", "--level", "village"]) == 2
    assert "'village' is not one of" in capsys.readouterr().err


def registry(tmp_path, url):
    path = tmp_path / "portals.yaml"
    entry = {"id": "sample_county", "level": "county", "start_urls": [f"{url}/xxgk/zfxxgknb/index.html"]}
    path.write_text(yaml.safe_dump([entry], allow_unicode=True), encoding="utf-8")
    return path


def test_scrapy_log_is_quiet_unless_verbose(tmp_path):
    with FixtureServer(SAMPLE_PORTAL, host=SAMPLE_HOST) as server:
        portals = registry(tmp_path, server.url)
        quiet = run_cli("crawl", "--portals", str(portals), "--db", str(tmp_path / "quiet.db"))
        verbose = run_cli("crawl", "-v", "--portals", str(portals), "--db", str(tmp_path / "verbose.db"))
    assert quiet.returncode == 0 and verbose.returncode == 0, quiet.stderr[-2000:] + verbose.stderr[-2000:]
    assert "[scrapy" not in quiet.stderr and " INFO: " not in quiet.stderr
    assert len(quiet.stderr.splitlines()) <= 12, quiet.stderr  # the progress bar and the extraction's lines
    assert verbose.stderr.count(" INFO: ") > 10 and "[scrapy.core.engine] INFO: Spider opened" in verbose.stderr
    assert quiet.stdout.splitlines()[0].startswith("portal ")  # the table comes first


def test_demo_ends_by_saying_where_to_start(tmp_path):
    done = run_cli("demo", "--no-serve", "--db", str(tmp_path / "demo.db"), "--portal-port", str(free_port()))
    assert done.returncode == 0, done.stderr[-2000:]
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("start here:") and "http://127.0.0.1:8001/-/search?q=复议" in last
    assert "[scrapy" not in done.stderr
