"""One family class per CMS, one module each in this package; a portal names its family in
the registry, or it is detected from the first list page's markers (most specific family
first, generic when none matches). A module added here registers its family by defining it
(crawler/families/README.md)."""

import importlib
import pkgutil

from .generic import GenericFamily

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

FAMILIES = dict(GenericFamily.registered)
DETECTION_ORDER = tuple(
    sorted((name for name in FAMILIES if name != "generic"), key=lambda name: FAMILIES[name].detection_order)
)


def family_for(name, response=None):
    if name and name in FAMILIES:
        return FAMILIES[name]
    if response is not None:
        for candidate in DETECTION_ORDER:
            if FAMILIES[candidate].matches(response):
                return FAMILIES[candidate]
    return FAMILIES["generic"]
