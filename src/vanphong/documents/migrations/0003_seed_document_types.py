"""Seed the document types of Decree 30/2020 (State) and 36-HD/VPTW (Party) from rules.doc_numbers.

They are defaults an administrator reviews (those not confirmed in the regulation are marked
unverified); running the migration again adds missing types and never overwrites edits.
"""

from django.db import migrations


def seed(apps, schema_editor):
    from vanphong.rules.doc_numbers import PARTY_DOCUMENT_TYPES, STATE_DOCUMENT_TYPES

    DocumentType = apps.get_model("documents", "DocumentType")
    for order, spec in enumerate((*STATE_DOCUMENT_TYPES, *PARTY_DOCUMENT_TYPES)):
        DocumentType.objects.get_or_create(
            system=str(spec.system),
            key=spec.key,
            defaults={
                "name": spec.name,
                "abbreviation": spec.abbreviation,
                "normative": spec.normative,
                "edxml_type": spec.edxml_type,
                "edxml_type_detail": spec.edxml_type_detail,
                "verified": spec.verified,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_search_index")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
