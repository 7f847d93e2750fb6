"""Add the Party's Giấy mời (GM), which meetings' invitations need; the seeding of 0003 adds missing
types and never overwrites an administrator's edits, so it is simply run again."""

import importlib

from django.db import migrations

seed = importlib.import_module("vanphong.documents.migrations.0003_seed_document_types").seed


class Migration(migrations.Migration):
    dependencies = [("documents", "0004_archive_files")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
