"""Checks and helpers shared by the survey and feedback services."""

import secrets

from cchc.core.imports import ImportRefused  # noqa: F401 (the apps' services raise it from here)

# No 0/O, 1/I/L: codes are read aloud on the phone and copied from paper.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def random_code(length: int, prefix: str = "") -> str:
    return prefix + "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))
