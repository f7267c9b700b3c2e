from django.urls import include, path

from grassroots.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("grassroots.accounts.urls")),
    path("orgs/", include("grassroots.orgs.urls")),
    path("members/", include("grassroots.members.urls")),
    path("meetings/", include("grassroots.meetings.urls")),
    path("recruitment/", include("grassroots.recruitment.urls")),
    path("documents/", include("grassroots.documents.urls")),
    path("calendar/", include("grassroots.workcalendar.urls")),
    path("", include("grassroots.reports.urls")),
]

# The site's error pages, except under /api/ where every error is JSON (grassroots.core.api_errors).
handler400 = "grassroots.core.api_errors.bad_request"
handler403 = "grassroots.core.api_errors.permission_denied"
handler404 = "grassroots.core.api_errors.page_not_found"
handler500 = "grassroots.core.api_errors.server_error"
