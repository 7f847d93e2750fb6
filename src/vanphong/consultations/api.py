"""The consultations API: the same access helpers, services and permission checks as the pages."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["consultations"])
