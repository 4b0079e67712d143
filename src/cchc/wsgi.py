"""WSGI entry point (gunicorn cchc.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

from cchc.workers import settle_heap

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
application = get_wsgi_application()
settle_heap()
