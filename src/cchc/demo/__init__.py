"""The demonstration province: loaders that fill an empty database with made-up but plausible data.

Nothing in the running application imports this package. It reaches the domain apps through their
services, models and queries only, as a command-line import would, and its texts (names, sentences,
feedback) live in `data/` beside it. `cchc demo` (`make demo`) is its entry point.
"""
