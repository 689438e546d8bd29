"""Scale benchmarks (plain scripts: `python -m bench.<name>`)."""
