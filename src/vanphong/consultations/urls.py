from django.urls import path

from vanphong.consultations import views

app_name = "consultations"

urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("new/", views.consultation_new, name="new"),
    path("<int:pk>/", views.consultation_detail, name="detail"),
    path("<int:pk>/edit/", views.consultation_edit, name="edit"),
    path("<int:pk>/open/", views.consultation_open, name="open"),
    path("<int:pk>/answer/", views.consultation_answer, name="answer"),
    path("<int:pk>/remind/", views.consultation_remind, name="remind"),
    path("<int:pk>/close/", views.consultation_close, name="close"),
    path("<int:pk>/summary.pdf", views.consultation_pdf, name="summary_pdf"),
    path("<int:pk>/files/<int:file_pk>/", views.consultation_file, name="file"),
    path("<int:pk>/documents/<int:document_pk>/files/<int:file_pk>/", views.document_file, name="document_file"),
]
