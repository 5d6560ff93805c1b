"""govreports: crawl, archive, extract and serve 政府信息公开工作年度报告."""

from storage import __version__

__all__ = ["__version__"]
