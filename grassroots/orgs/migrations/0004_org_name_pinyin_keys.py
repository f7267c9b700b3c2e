"""Pinyin keys of org names (core.pinyin.org_keys) for the org picker, filled for the orgs already there."""

from django.db import migrations, models


def fill_keys(apps, schema_editor):
    from grassroots.core.pinyin import org_keys

    Org = apps.get_model("orgs", "Org")
    batch = []
    for org in Org._base_manager.only("pk", "name").iterator(chunk_size=2000):
        org.name_pinyin, org.name_initials = org_keys(org.name)
        batch.append(org)
        if len(batch) >= 2000:
            Org._base_manager.bulk_update(batch, ["name_pinyin", "name_initials"])
            batch = []
    if batch:
        Org._base_manager.bulk_update(batch, ["name_pinyin", "name_initials"])


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0003_org_depth_path_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="org",
            name="name_initials",
            field=models.CharField(blank=True, db_index=True, default="", max_length=40),
        ),
        migrations.AddField(
            model_name="org",
            name="name_pinyin",
            field=models.CharField(blank=True, db_index=True, default="", max_length=120),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
    ]
