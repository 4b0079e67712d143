"""Benchmarks of the hot paths, run by `cchc bench ...` and `make bench` (bench/run.py).

Nothing in the running application imports this package: it sits on top of the domain apps, as a
separate tool that creates its own data (a province coded BENCH) and measures the apps against
baselines from the same run. `cchc.bench.onestop` is the one-stop benchmark.
"""
