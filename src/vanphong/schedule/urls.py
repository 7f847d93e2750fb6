from django.urls import path

from vanphong.schedule import views

app_name = "schedule"

urlpatterns = [
    path("", views.week_list, name="list"),
    path("new/", views.week_new, name="week_new"),
    path("<int:pk>/", views.week, name="week"),
    path("<int:pk>/revisions/<int:number>/", views.revision_view, name="revision"),
    path("<int:pk>/compare/", views.compare, name="compare"),
    path("<int:pk>/print.pdf", views.week_pdf, name="pdf"),
    # the office's editor and the steps of approval
    path("<int:pk>/edit/", views.editor, name="editor"),
    path("<int:pk>/events/new/", views.event_new, name="event_new"),
    path("events/<int:pk>/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/delete/", views.event_delete, name="event_delete"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/take-back/", views.take_back, name="take_back"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    # a person's calendar feed
    path("calendar/", views.feed_settings, name="feed_settings"),
    path("calendar/<str:token>.ics", views.feed_ics, name="feed"),
    # without signing in, when VANPHONG_SCHEDULE_PUBLIC is on
    path("public/", views.public_list, name="public_list"),
    path("public/<int:pk>/", views.public_week, name="public_week"),
]
