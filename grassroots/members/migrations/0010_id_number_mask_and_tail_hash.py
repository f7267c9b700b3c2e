from django.db import migrations, models

from grassroots.core import crypto, id_number

BATCH = 2000


def remask(app_label: str, model_name: str):
    """Every stored ID number's masked form rewritten with the current mask (core.id_number.mask), which no
    longer shows the last four characters, and the keyed hash of those four (core.crypto.tail_hash) stored
    for the search by tail. The clear number is read from its encrypted form, batch by batch."""

    def run(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        rows = model._base_manager.exclude(id_number_encrypted="").order_by("pk")
        rows = rows.only("pk", "id_number_encrypted", "id_number_masked", "id_number_tail_hash")
        last = 0
        while True:
            batch = list(rows.filter(pk__gt=last)[:BATCH])
            if not batch:
                return
            for row in batch:
                number = crypto.decrypt(row.id_number_encrypted)
                row.id_number_masked = id_number.mask(number)
                row.id_number_tail_hash = crypto.tail_hash(number)
            model._base_manager.bulk_update(batch, ["id_number_masked", "id_number_tail_hash"])
            last = batch[-1].pk

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0009_name_sort"),
    ]

    operations = [
        migrations.AddField(
            model_name="member",
            name="id_number_tail_hash",
            field=models.CharField(blank=True, db_index=True, max_length=64),
        ),
        migrations.RunPython(remask("members", "Member"), migrations.RunPython.noop),
    ]
