"""One family class per CMS; a portal names its family in the registry, or it is detected
from the first list page's markers (most specific family first, generic last)."""

from .generic import GenericFamily
from .gkmlpt import GkmlptFamily
from .hanweb import HanwebFamily
from .jeecms import JeecmsFamily
from .openness import OpennessFamily
from .trs import TrsFamily
from .vsb import VsbFamily

FAMILIES = {family.name: family for family in (TrsFamily(), HanwebFamily(), GkmlptFamily(), OpennessFamily(),
                                               VsbFamily(), JeecmsFamily(), GenericFamily())}
DETECTION_ORDER = ("gkmlpt", "openness", "trs", "hanweb", "jeecms", "vsb", "generic")


def family_for(name, response=None):
    if name and name in FAMILIES:
        return FAMILIES[name]
    if response is not None:
        for candidate in DETECTION_ORDER:
            if FAMILIES[candidate].matches(response):
                return FAMILIES[candidate]
    return FAMILIES["generic"]
