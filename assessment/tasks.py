"""Worker tasks: prepared exports, the monthly reports (beat, the 1st of each month) and the
catch-up of exports that could not be queued (beat, every five minutes)."""

from __future__ import annotations

from celery import shared_task


@shared_task(ignore_result=True, acks_late=True)
def export_run(job_id: int) -> None:
    """Write one prepared export; safe to run again (the file is rewritten from the start)."""
    from assessment.exports import export_job_run

    export_job_run(job_id)


@shared_task(ignore_result=True, acks_late=True)
def monthly_reports(month: str | None = None) -> int:
    """Make the previous month's reports for every court and division (HTML and XLSX)."""
    import datetime as dt

    from assessment.exports import monthly_reports_make

    return len(monthly_reports_make(month=dt.date.fromisoformat(month) if month else None))


@shared_task(ignore_result=True)
def exports_requeue_pending() -> int:
    """Queue again the exports still waiting (the broker was down when they were requested)."""
    from assessment.exports import export_jobs_requeue

    return export_jobs_requeue()
