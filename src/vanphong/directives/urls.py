from django.urls import include, path

from vanphong.directives.views import documents, plans, tasks

app_name = "directives"

urlpatterns: list[object] = [
    path("", tasks.home, name="home"),
    path("list/", tasks.task_list, name="list"),
    path("assign/", tasks.assign, name="assign"),
    path("<int:pk>/", tasks.task_page, name="task"),
    path("<int:pk>/report/", tasks.report, name="report"),
    path("<int:pk>/propose/", tasks.propose, name="propose"),
    path("<int:pk>/accept/", tasks.accept, name="accept"),
    path("<int:pk>/return/", tasks.return_task, name="return"),
    path("<int:pk>/extend/", tasks.extend, name="extend"),
    path("<int:pk>/extension/", tasks.decide_extension, name="decide_extension"),
    path("<int:pk>/break-down/", tasks.break_down, name="break_down"),
    path("<int:pk>/cancel/", tasks.cancel, name="cancel"),
    path("<int:pk>/files/<int:file_pk>/", plans.report_file, name="report_file"),
    path("plans/<int:pk>/", plans.plan_page, name="plan"),
    path("from-document/<int:pk>/", documents.document_tasks, name="document_tasks"),
    path("statistics/", include("vanphong.directives.views.reports")),  # statistics and exports (reports.py)
]
