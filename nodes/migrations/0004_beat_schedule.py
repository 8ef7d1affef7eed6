"""The sweep, the notification catch-up and the digests as django-celery-beat entries, so trial
managers can see and change them in the admin (DatabaseScheduler)."""

import json

from django.db import migrations
from django.utils import timezone

ENTRIES = [
    # name, task, every n minutes or a crontab (minute, hour, day_of_week, day_of_month)
    ("courtflow: sweep every court", "nodes.tasks.sweep_fanout", 1, None),
    ("courtflow: deliver pending notifications", "nodes.tasks.notifications_deliver_pending", 1, None),
    ("courtflow: weekly supervision digest", "nodes.tasks.supervision_digest", None, ("0", "8", "1", "*")),
    ("courtflow: monthly supervision digest", "nodes.tasks.supervision_digest", None, ("0", "8", "*", "1")),
]


def create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    for name, task, minutes, cron in ENTRIES:
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        fields = {"name": name, "task": task, "enabled": True}
        if minutes is not None:
            fields["interval"], _ = IntervalSchedule.objects.get_or_create(every=minutes, period="minutes")
        else:
            minute, hour, dow, dom = cron
            fields["crontab"], _ = CrontabSchedule.objects.get_or_create(
                minute=minute, hour=hour, day_of_week=dow, day_of_month=dom, month_of_year="*",
                timezone="Asia/Shanghai")
            fields["kwargs"] = json.dumps({"period": "weekly" if dom == "*" else "monthly"})
        PeriodicTask.objects.create(**fields)
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[e[0] for e in ENTRIES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("nodes", "0003_sweep_locks_notifications"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
