"""Run the embedded stack in the foreground: gunicorn and a Celery worker with embedded beat.

`make run` calls this after migrating and loading the demo. Ctrl-C (or SIGTERM) stops both
processes; if either dies, the other is stopped too, so nothing is left running.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from .load_demo import logins_text


class Command(BaseCommand):
    help = "Serve the web app and run a Celery worker with embedded beat until interrupted."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--no-worker", action="store_true", help="Serve the web app only.")

    def handle(self, *args, host: str, port: str, no_worker: bool, **options):
        bin_dir = os.path.dirname(sys.executable)
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        if host not in settings.ALLOWED_HOSTS and host not in ("0.0.0.0", "::"):  # noqa: S104
            env["DJANGO_ALLOWED_HOSTS"] = ",".join([*settings.ALLOWED_HOSTS, host])
        commands = {
            "web": [
                os.path.join(bin_dir, "gunicorn"),
                "courtflow.wsgi:application",
                "--bind",
                f"{host}:{port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--access-logfile",
                "-",
                "--graceful-timeout",
                "5",
            ],
        }
        if not no_worker:
            commands["worker"] = [
                os.path.join(bin_dir, "celery"),
                "-A",
                "courtflow",
                "worker",
                "-B",
                "--loglevel",
                "INFO",
                "--concurrency",
                "2",
                "--hostname",
                "embedded@%h",
            ]
        procs: dict[str, subprocess.Popen] = {}
        stopping = False

        def stop(*_args) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        for name, cmd in commands.items():
            procs[name] = subprocess.Popen(cmd, env=env)
        self.stdout.write(f"\nCourtFlow is running on http://{host}:{port}/  (Ctrl-C stops it)")
        self.stdout.write(logins_text() + "\n")
        exit_code = 0
        try:
            while not stopping:
                for name, proc in procs.items():
                    if proc.poll() is not None:
                        self.stderr.write(
                            f"{name} exited with {proc.returncode}; stopping the rest."
                        )
                        exit_code = proc.returncode or 1
                        stopping = True
                time.sleep(0.5)
        finally:
            for proc in procs.values():
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 15
            for proc in procs.values():
                try:
                    proc.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        if exit_code:
            sys.exit(exit_code)
