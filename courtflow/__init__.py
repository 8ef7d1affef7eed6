"""CourtFlow project package: settings, Celery app, URLs and the shared audit trail."""

from .celery import app as celery_app

__all__ = ("celery_app",)
