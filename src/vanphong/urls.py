from django.urls import include, path

from vanphong.api import api

urlpatterns = [
    path("api/", api.urls),
    path("", include("vanphong.core.urls")),
]
