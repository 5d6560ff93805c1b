"""Serve the archive with Datasette, with the project's metadata and plugin: on 127.0.0.1
by default; `public` adds the public serving mode (govreports/public.py), `release` the bulk
release at /-/release (govreports/release_page.py)."""

import json
import tempfile
from pathlib import Path

import yaml

from .public import SQL_THREADS, public_metadata

METADATA = Path(__file__).resolve().parent / "datasette" / "metadata.yml"


def datasette_args(db_path, port, host="127.0.0.1", metadata=METADATA, public=False):
    args = [
        "serve",
        str(db_path),
        "--host",
        host,
        "--port",
        str(port),
        "--metadata",
        str(metadata),
        "--setting",
        "suggest_facets",
        "off",
        "--setting",
        "default_page_size",
        "50",
        "--setting",
        "truncate_cells_html",
        "160",
    ]
    if public:
        args += ["--setting", "num_sql_threads", str(SQL_THREADS), "--setting", "allow_download", "off"]
    return args


def serve(db_path, port, host="127.0.0.1", public=False, start_here=None, release=None):
    """Serve until Ctrl-C; the last line printed before says where to start (the search page).
    release: a folder `govreports export` wrote, served at /-/release."""
    from datasette.cli import cli

    print(f"Datasette on http://{host}:{port}/" + (" (public mode)" if public else ""))
    print(f"start here: {start_here or f'http://{host}:{port}/-/search'} (Ctrl-C stops)", flush=True)
    if not public and not release:
        return cli.main(datasette_args(db_path, port, host), standalone_mode=True)
    with tempfile.TemporaryDirectory() as folder:
        metadata = Path(folder) / "metadata.json"
        served = yaml.safe_load(METADATA.read_text(encoding="utf-8"))
        served = release_metadata(public_metadata(served) if public else served, release)
        metadata.write_text(json.dumps(served, ensure_ascii=False), encoding="utf-8")
        return cli.main(datasette_args(db_path, port, host, metadata, public=public), standalone_mode=True)


def release_metadata(metadata, release):
    """The served metadata with the plugin told where the release is (release_page.py)."""
    if not release:
        return metadata
    plugins = metadata.get("plugins", {})
    settings = {**plugins.get("govreports", {}), "release": str(Path(release).resolve())}
    return {**metadata, "plugins": {**plugins, "govreports": settings}}
