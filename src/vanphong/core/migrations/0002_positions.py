"""The customary position titles of Party and State offices, ranked for lists (editable later)."""

from django.db import migrations

POSITIONS = [
    # (name, rank, leadership)
    ("Bí thư", 10, True),
    ("Phó Bí thư Thường trực", 12, True),
    ("Phó Bí thư", 14, True),
    ("Chủ tịch", 16, True),
    ("Phó Chủ tịch", 18, True),
    ("Ủy viên Ban Thường vụ", 20, True),
    ("Ủy viên Ban Chấp hành", 22, False),
    ("Chủ nhiệm", 24, True),
    ("Phó Chủ nhiệm", 26, True),
    ("Trưởng ban", 30, True),
    ("Phó Trưởng ban", 32, True),
    ("Chánh Văn phòng", 34, True),
    ("Phó Chánh Văn phòng", 36, True),
    ("Giám đốc", 38, True),
    ("Phó Giám đốc", 40, True),
    ("Chánh Thanh tra", 42, True),
    ("Phó Chánh Thanh tra", 44, True),
    ("Trưởng phòng", 50, True),
    ("Phó Trưởng phòng", 52, True),
    ("Chuyên viên cao cấp", 60, False),
    ("Chuyên viên chính", 62, False),
    ("Chuyên viên", 64, False),
    ("Thanh tra viên", 66, False),
    ("Văn thư", 70, False),
    ("Lưu trữ viên", 72, False),
    ("Kế toán", 74, False),
    ("Nhân viên", 80, False),
]


def add_positions(apps, schema_editor):
    Position = apps.get_model("core", "Position")
    for name, rank, leadership in POSITIONS:
        Position.objects.get_or_create(name=name, defaults={"rank": rank, "is_leadership": leadership})


def remove_positions(apps, schema_editor):
    apps.get_model("core", "Position").objects.filter(
        name__in=[p[0] for p in POSITIONS], holdings__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(add_positions, remove_positions)]
