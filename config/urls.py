from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from config import rights, views
from config.exporters import export_download

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("rights/", rights.RightsChangeList.as_view(), name="rights_changes"),
    # Routes the apps keep at the root: /search/ (the register), /r/<token>/ (a receipt's QR).
    path("", include("archives.root_urls")),
    path("", include("fees.root_urls")),
    # Any registered report (config.exporters), by its name; the apps' pages link their own.
    path("exports/<slug:name>/", export_download, name="export"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    # Not django.contrib.auth.urls whole: its password reset pages are public and mail a
    # link, and the desk has no mail; the administrator sets a forgotten password instead.
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # The language can be switched on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("archives/", include("archives.urls")),
    path("fees/", include("fees.urls")),
    path("deposits/", include("deposits.urls")),
    path("complaints/", include("complaints.urls")),
    path("attendance/", include("attendance.urls")),
    path("admin/", admin.site.urls),
]
