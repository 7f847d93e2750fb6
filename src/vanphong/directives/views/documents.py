"""The "Tasks" section of the document page: tasks born from this document (or a direction on it)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from vanphong.core.models import Organization
from vanphong.directives import access, policy
from vanphong.directives.views.tasks import mark
from vanphong.documents.access import access_document


@login_required
@require_GET
def document_tasks(request: HttpRequest, pk: int) -> HttpResponse:
    document = access_document(request.user, pk)  # 404 to whoever may not see the document
    born_here = Q(source_document=document) | Q(source_assignment__document=document)
    tasks = access.task_list(request.user).filter(born_here).order_by("deadline", "pk")[:50]
    return render(
        request,
        "directives/document_tasks.html",
        {
            "document": document,
            "tasks": mark(list(tasks)),
            "can_assign": Organization.objects.filter(policy.assigning_bodies_q(request.user)).exists(),
        },
    )
