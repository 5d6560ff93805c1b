"""Tools for tests, fixture builders and benchmarks: not part of the product."""
