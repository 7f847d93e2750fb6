from django.urls import path

from vanphong.meetings.views import meetings, rooms

app_name = "meetings"

urlpatterns = [
    path("", meetings.meeting_list, name="list"),
    path("new/", meetings.meeting_new, name="new"),
    path("invitations/", meetings.invitations, name="invitations"),
    path("<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("<int:pk>/edit/", meetings.meeting_edit, name="edit"),
    path("<int:pk>/convene/", meetings.convene, name="convene"),
    path("<int:pk>/held/", meetings.mark_held, name="held"),
    path("<int:pk>/cancel/", meetings.cancel, name="cancel"),
    path("<int:pk>/agenda/", meetings.agenda_add, name="agenda_add"),
    path("<int:pk>/agenda/<int:item_pk>/remove/", meetings.agenda_remove, name="agenda_remove"),
    path("<int:pk>/points/", meetings.point_add, name="point_add"),
    path("<int:pk>/participants/", meetings.participant_add, name="participant_add"),
    path("<int:pk>/participants/<int:part_pk>/remove/", meetings.participant_remove, name="participant_remove"),
    path("<int:pk>/participants/<int:part_pk>/respond/", meetings.respond, name="respond"),
    path("<int:pk>/participants/<int:part_pk>/check-in/", meetings.check_in, name="check_in"),
    path("<int:pk>/documents/", meetings.document_attach, name="document_attach"),
    path("<int:pk>/documents/<int:item_pk>/", meetings.document_view, name="document"),
    path("<int:pk>/documents/<int:item_pk>/remove/", meetings.document_detach, name="document_detach"),
    path("<int:pk>/documents/<int:item_pk>/files/<int:file_pk>/", meetings.document_file, name="document_file"),
    path("<int:pk>/minutes/", meetings.minutes, name="minutes"),
    path("<int:pk>/minutes/file/", meetings.minutes_file, name="minutes_file"),
    path("<int:pk>/invitation/", meetings.draft_invitation, name="draft_invitation"),
    path("<int:pk>/conclusion-notice/", meetings.draft_notice, name="draft_notice"),
    path("<int:pk>/conclusions/", meetings.conclusion_add, name="conclusion_add"),
    path("<int:pk>/conclusions/<int:conclusion_pk>/remove/", meetings.conclusion_remove, name="conclusion_remove"),
    path("<int:pk>/conclusions/tasks/", meetings.assign_tasks, name="assign_tasks"),
    path("rooms/", rooms.room_list, name="rooms"),
    path("rooms/new/", rooms.room_new, name="room_new"),
    path("rooms/<int:pk>/", rooms.room_detail, name="room"),
    path("rooms/<int:pk>/edit/", rooms.room_edit, name="room_edit"),
    path("bookings/<int:pk>/cancel/", rooms.booking_cancel, name="booking_cancel"),
]
