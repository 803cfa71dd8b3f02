"""The Russian names of the four DAC sectors funding 0013 seeds. A Russian name an editor has
entered is kept; going back writes nothing (0018's reverse drops the column anyway)."""

from django.db import migrations
from django.db.models import Q

NAMES_RU = {
    "15130": "Развитие правовой и судебной системы",
    "15150": "Демократическое участие и гражданское общество",
    "15153": "СМИ и свободное распространение информации",
    "15160": "Права человека",
}


def fill(apps, schema_editor):
    SectorTopic = apps.get_model("funding", "SectorTopic")
    blank = Q(name_ru__isnull=True) | Q(name_ru="")
    for code, name_ru in NAMES_RU.items():
        SectorTopic._base_manager.filter(blank, code=code).update(name_ru=name_ru)


class Migration(migrations.Migration):
    dependencies = [("funding", "0018_sector_names_in_russian")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
