"""Libraries' app configurations under names the administrator reads in their language.

Kept out of config/apps.py: Django picks an app's configuration automatically only when
its apps module holds exactly one.
"""

from axes.apps import AppConfig as AxesConfig
from django.utils.translation import gettext_lazy as _


class LoginAttemptsConfig(AxesConfig):
    """django-axes, which names itself "Axes" in the admin."""

    verbose_name = _("Login attempts")
