"""WSGI entry point for page requests in production (websockets go to the ASGI server)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kindred.settings")
application = get_wsgi_application()
