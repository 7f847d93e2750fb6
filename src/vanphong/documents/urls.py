from django.urls import path

from vanphong.documents.views import archive as archive_views
from vanphong.documents.views import baskets, document, exports, incoming, registers, search
from vanphong.documents.views import outgoing as outgoing_views

app_name = "documents"

urlpatterns = [
    # what waits for me
    path("", baskets.overview, name="overview"),
    path("baskets/<slug:name>/", baskets.basket_list, name="basket"),
    # registers and registration
    path("registers/", registers.register_list, name="register_list"),
    path("registers/<int:pk>/", registers.register_detail, name="register"),
    path("registers/<int:pk>/new/", incoming.register_new, name="register_new"),
    path("registers/<int:pk>/export/", registers.register_export, name="register_export"),
    path("registers/<int:pk>/import/", incoming.import_package, name="import_package"),
    path("senders/", incoming.sender_search, name="sender_search"),
    path("exports/", exports.export_list, name="export_list"),
    path("exports/<int:pk>/file/", exports.export_file, name="export_file"),
    # one document and its steps
    path("<int:pk>/", document.document_detail, name="document"),
    path("<int:pk>/files/<int:file_pk>/", document.file_download, name="file"),
    path("<int:pk>/present/", document.present, name="present"),
    path("<int:pk>/direct/", document.direct, name="direct"),
    path("<int:pk>/complete/", document.complete, name="complete"),
    path("<int:pk>/return/", document.return_document, name="return"),
    path("parts/<int:pk>/forward/", document.forward, name="forward"),
    path("parts/<int:pk>/progress/", document.progress, name="progress"),
    path("parts/<int:pk>/opinion/", document.request_opinion, name="request_opinion"),
    # outgoing (văn bản đi): drafts, the circuit, signing, issue, dispatch, recall, replacement
    path("outgoing/", outgoing_views.drafts, name="outgoing"),
    path("outgoing/new/", outgoing_views.draft_new, name="outgoing_new"),
    path("<int:pk>/edit/", outgoing_views.draft_edit, name="outgoing_edit"),
    path("<int:pk>/draft.docx", outgoing_views.draft_docx, name="outgoing_docx"),
    path("<int:pk>/submit/", outgoing_views.submit, name="outgoing_submit"),
    path("steps/<int:pk>/decide/", outgoing_views.decide, name="outgoing_decide"),
    path("<int:pk>/sign/", outgoing_views.sign, name="outgoing_sign"),
    path("<int:pk>/issue/", outgoing_views.issue, name="outgoing_issue"),
    path("<int:pk>/dispatch/", outgoing_views.dispatch, name="outgoing_dispatch"),
    path("<int:pk>/recall/", outgoing_views.recall, name="outgoing_recall"),
    path("<int:pk>/withdraw-number/", outgoing_views.withdraw, name="outgoing_withdraw"),
    path("<int:pk>/replace/", outgoing_views.replace, name="outgoing_replace"),
    # archive files (hồ sơ): the yearly lists, files, items, hand-over
    path("archive/", archive_views.archive_home, name="archive"),
    path("archive/lists/new/", archive_views.file_list_new, name="file_list_new"),
    path("archive/lists/<int:pk>/", archive_views.file_list_detail, name="file_list"),
    path("archive/lists/<int:pk>/approve/", archive_views.file_list_approve, name="file_list_approve"),
    path("archive/lists/<int:pk>/files/new/", archive_views.archive_file_new, name="archive_file_new"),
    path("archive/files/<int:pk>/", archive_views.archive_file_detail, name="archive_file"),
    path("archive/files/<int:pk>/open/", archive_views.archive_file_open, name="archive_file_open"),
    path("archive/files/<int:pk>/close/", archive_views.archive_file_close, name="archive_file_close"),
    path("archive/files/<int:pk>/hand-over/", archive_views.archive_file_hand_over, name="archive_file_hand_over"),
    path("archive/files/<int:pk>/reopen/", archive_views.archive_file_reopen, name="archive_file_reopen"),
    path("archive/files/<int:pk>/settlement/", archive_views.archive_file_settlement, name="archive_file_settlement"),
    path("archive/files/<int:pk>/hold-back/", archive_views.archive_file_hold_back, name="archive_file_hold_back"),
    path("archive/files/<int:pk>/items.xlsx", archive_views.archive_file_export, name="archive_file_export"),
    path("archive/items/<int:pk>/remove/", archive_views.archive_item_remove, name="archive_item_remove"),
    path("<int:pk>/archive/", archive_views.document_archive, name="document_archive"),
    # search
    path("search/", search.search_page, name="search"),
]
