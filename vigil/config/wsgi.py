"""WSGI entry point (gunicorn via `vigil serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigil.config.settings")
application = get_wsgi_application()
