"""The `cchc` command: Django's management commands behind a console script."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["cchc", *sys.argv[1:]])


if __name__ == "__main__":
    main()
