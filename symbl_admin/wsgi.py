"""WSGI entry point for gunicorn (and Django's development server, through WSGI_APPLICATION).

Django's application behind BodyLimit: request bodies over DJANGO_MAX_REQUEST_BODY_MB are
refused before they are read (symbl_admin/body_limit.py).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "symbl_admin.settings")

from symbl_admin.body_limit import limited  # noqa: E402

application = limited(get_wsgi_application())
