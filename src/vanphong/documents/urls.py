from django.urls import path

from vanphong.documents.views import baskets, document, incoming, registers, search

app_name = "documents"

urlpatterns = [
    # what waits for me
    path("", baskets.overview, name="overview"),
    path("baskets/<slug:name>/", baskets.basket_list, name="basket"),
    # registers and registration
    path("registers/", registers.register_list, name="register_list"),
    path("registers/<int:pk>/", registers.register_detail, name="register"),
    path("registers/<int:pk>/new/", incoming.register_new, name="register_new"),
    path("senders/", incoming.sender_search, name="sender_search"),
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
    # search
    path("search/", search.search_page, name="search"),
]
