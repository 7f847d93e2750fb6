from django.urls import include, path

from vanphong.api import api

urlpatterns = [
    path("api/", api.urls),
    path("documents/", include("vanphong.documents.urls")),
    path("elections/", include("vanphong.elections.urls")),
    path("", include("vanphong.core.urls")),
]
