from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from kindred.api.api import api
from kindred.core import views as core_views

urlpatterns = [
    path("", include("kindred.accounts.urls")),
    path("", include("kindred.navigator.urls")),
    path("", include("kindred.notifications.urls")),
    path("", include("kindred.support.urls")),
    path("", include("kindred.groups.urls")),
    path("", include("kindred.safety.urls")),
    path("", include("kindred.officehours.urls")),
    path("", include("kindred.events.urls")),
    path("", include("kindred.qanda.urls")),
    path("confidence/", core_views.confidence, name="confidence"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path(settings.KINDRED_ADMIN_PATH, admin.site.urls),
]

handler400 = "kindred.core.views.bad_request"
handler403 = "kindred.core.views.permission_denied"
handler404 = "kindred.core.views.page_not_found"
handler500 = "kindred.core.views.server_error"
