"""Test data: valid reports and members that tests change one field at a time."""

from __future__ import annotations

from typing import Any

from synthwatch.service import admin
from synthwatch.service.ports import UnitOfWorkFactory

MEMBER = "Laboratorio Central de Sonora"
OTHER_MEMBER = "U.S. Customs and Border Protection"


def report_document(**overrides: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "external_id": "LAB-2026-0001",
        "kind": "lab_identification",
        "observed_at": "2026-03-14",
        "location": {"country": "MX", "subdivision": "MX-SON", "place": "Hermosillo"},
        "substances": [{"text": "N-pyrrolidino protonitazene", "quantity": 1.2, "unit": "g"}],
        "entities": [
            {"type": "phone", "value": "662 123 4567"},
            {"type": "company", "value": "Química Hermosillo S.A. de C.V."},
        ],
        "count": 1,
        "narrative": "Blue tablets marked M30; GC-MS confirmed.",
        "marking": {"tlp": "AMBER", "recipients": [OTHER_MEMBER]},
        "grading": {"source": "B", "information": 2},
    }
    document.update(overrides)
    return document


def add_members(uow_factory: UnitOfWorkFactory) -> None:
    admin.create_member(uow_factory, MEMBER, "MX", "forensic_lab")
    admin.create_member(uow_factory, OTHER_MEMBER, "US", "customs")
