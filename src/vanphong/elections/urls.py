from django.urls import path

from vanphong.elections.views import counting, setup

app_name = "elections"

urlpatterns = [
    # setting up
    path("", setup.congress_list, name="congress_list"),
    path("new/", setup.congress_create, name="congress_create"),
    path("<int:pk>/", setup.congress_detail, name="congress_detail"),
    path("<int:pk>/committee/new/", setup.committee_add, name="committee_add"),
    path("committee/<int:pk>/remove/", setup.committee_remove, name="committee_remove"),
    path("<int:pk>/elections/new/", setup.election_create, name="election_create"),
    path("elections/<int:pk>/", setup.election_detail, name="election_detail"),
    path("elections/<int:pk>/candidates/", setup.candidates_add, name="candidates_add"),
    path("candidates/<int:pk>/remove/", setup.candidate_remove, name="candidate_remove"),
    path("elections/<int:pk>/open/", setup.round_open, name="round_open"),
    # the registry at the door
    path("<int:pk>/registry/", counting.registry, name="registry"),
    path("<int:pk>/registry/new/", counting.summoned_add, name="summoned_add"),
    path("summoned/<int:pk>/check-in/", counting.check_in, name="check_in"),
    path("summoned/<int:pk>/undo-check-in/", counting.undo_check_in, name="undo_check_in"),
    path("summoned/<int:pk>/exclusion/", counting.exclusion, name="exclusion"),
    # counting a round
    path("rounds/<int:pk>/", counting.round_detail, name="round_detail"),
    path("rounds/<int:pk>/station/<int:station>/", counting.station, name="station"),
    path("rounds/<int:pk>/reconcile/", counting.reconcile, name="reconcile"),
    path("ballots/<int:pk>/resolve/", counting.resolve, name="resolve"),
    path("rounds/<int:pk>/confirm/", counting.round_confirm, name="round_confirm"),
    path("rounds/<int:pk>/reopen/", counting.round_reopen, name="round_reopen"),
    path("rounds/<int:pk>/next/", counting.round_next, name="round_next"),
    path("rounds/<int:pk>/projector/", counting.projector, name="projector"),
    path("rounds/<int:pk>/minutes/", counting.minutes, name="minutes"),
    path("rounds/<int:pk>/minutes.docx", counting.minutes_docx, name="minutes_docx"),
    path("rounds/<int:pk>/minutes.pdf", counting.minutes_pdf, name="minutes_pdf"),
    path("rounds/<int:pk>/ballot-paper/", counting.ballot_paper, name="ballot_paper"),
    path("rounds/<int:pk>/ballots.pdf", counting.ballots_pdf, name="ballots_pdf"),
    path("rounds/<int:pk>/log/", counting.entry_log, name="entry_log"),
]
