"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

from cchc.workers import settle_heap

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
application = get_asgi_application()
settle_heap()
