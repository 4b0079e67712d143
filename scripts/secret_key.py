"""Write a new random secret key to a file, once: `python3 scripts/secret_key.py var/secret_key`.

The settings read CCHC_SECRET_KEY, or else this file (CCHC_SECRET_KEY_FILE, default <var>/secret_key).
An existing file is left alone, so sessions and signed links survive `make demo` being run again.
Only the standard library is used: it runs before the virtual environment exists.
"""

import os
import secrets
import sys
from pathlib import Path


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: secret_key.py PATH", file=sys.stderr)
        return 2
    path = Path(sys.argv[1])
    if path.exists():
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    # Readable by its owner only, from the moment it exists.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as key_file:
        key_file.write(secrets.token_urlsafe(64) + "\n")
    print(f"Wrote a new secret key to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
