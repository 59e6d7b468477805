"""Collection rules: notebooks run through nbmake as .ipynb, never imported as modules."""

collect_ignore_glob = ["notebooks/*.py", "benchmarks/*", "data/*", "build/*"]
