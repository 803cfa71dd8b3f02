"""The DAC 5-digit sectors issue 17 names, mapped to a topic only where the topic plainly is the
sector (15153 -> media-freedom, when that topic exists); editors change the rest in the admin."""

from django.db import migrations

SECTORS = [
    ("15130", "Legal and judicial development", None),
    ("15150", "Democratic participation and civil society", None),
    ("15153", "Media and free flow of information", "media-freedom"),
    ("15160", "Human rights", None),
]


def seed(apps, schema_editor):
    SectorTopic = apps.get_model("funding", "SectorTopic")
    Topic = apps.get_model("dialogues", "Topic")
    for code, name, topic_slug in SECTORS:
        topic = Topic.objects.filter(slug=topic_slug).first() if topic_slug else None
        SectorTopic.objects.get_or_create(code=code, defaults={"name": name, "topic": topic})


def unseed(apps, schema_editor):
    apps.get_model("funding", "SectorTopic").objects.filter(code__in=[code for code, _name, _slug in SECTORS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0012_iati_activities"),
        ("dialogues", "0009_texts_in_russian"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
