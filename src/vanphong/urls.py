from django.urls import include, path

from vanphong.api import api

urlpatterns = [
    path("api/", api.urls),
    path("documents/", include("vanphong.documents.urls")),
    path("elections/", include("vanphong.elections.urls")),
    path("notices/", include("vanphong.notices.urls")),
    path("tasks/", include("vanphong.directives.urls")),
    path("meetings/", include("vanphong.meetings.urls")),
    path("schedule/", include("vanphong.schedule.urls")),
    path("consultations/", include("vanphong.consultations.urls")),
    path("", include("vanphong.core.urls")),
]
