"""Scale benchmarks (issue 9): `python -m bench.run` drives them; not part of `make test`."""
