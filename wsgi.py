"""Entry point for gunicorn: `gunicorn wsgi:app`."""

from workspace import create_app

app = create_app()
