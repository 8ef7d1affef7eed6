"""WSGI entry point (gunicorn courtflow.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "courtflow.settings")
application = get_wsgi_application()
