"""The wheel holds the product only: setuptools' own reading of pyproject.toml (the packages
it would put in the wheel) names crawler, extractors, storage and govreports and their
subpackages, and nothing of the development tools (scripts/fixturekit, tests, benchmarks),
whose names could collide with other distributions' (PyPI has a `devtools`)."""

import warnings
from pathlib import Path

import pytest
from setuptools.config.pyprojecttoml import read_configuration

pytestmark = pytest.mark.unit  # no network, no fixture portal: make test-fast runs it

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = {"crawler", "extractors", "storage", "govreports"}


def wheel_packages():
    with warnings.catch_warnings():  # setuptools calls its [tool.setuptools] support beta
        warnings.simplefilter("ignore")
        config = read_configuration(ROOT / "pyproject.toml", expand=True)
    return set(config["tool"]["setuptools"]["packages"])


def test_the_wheel_holds_only_the_products_packages():
    packages = wheel_packages()
    assert {name.split(".")[0] for name in packages} == PRODUCT


def test_every_package_of_the_product_is_in_the_wheel():
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for top in PRODUCT
        for init in (ROOT / top).rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert found <= wheel_packages()
