"""Libraries' app configurations under names the administrator reads in their language.

Kept out of config/apps.py: Django picks an app's configuration automatically only when
its apps module holds exactly one.
"""

from axes.apps import AppConfig as AxesConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class LoginAttemptsConfig(AxesConfig):
    """django-axes, which names itself "Axes" in the admin."""

    verbose_name = _("Login attempts")


class BackgroundTasksConfig(TasksAppConfig):
    """django-tasks-db's queue of background tasks, which names itself in English only."""

    verbose_name = _("Background tasks")
