"""Serve the archive with Datasette on 127.0.0.1, with the project's metadata and plugin."""

from pathlib import Path

METADATA = Path(__file__).resolve().parent / "datasette" / "metadata.yml"


def datasette_args(db_path, port):
    return [
        "serve", str(db_path), "--host", "127.0.0.1", "--port", str(port),
        "--metadata", str(METADATA),
        "--setting", "suggest_facets", "off",
        "--setting", "default_page_size", "50",
        "--setting", "truncate_cells_html", "160",
    ]


def serve(db_path, port):
    from datasette.cli import cli

    print(f"Datasette on http://127.0.0.1:{port}/")
    cli.main(datasette_args(db_path, port), standalone_mode=True)
