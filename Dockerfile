# CourtFlow production image: gunicorn for the web, the same image for Celery worker and beat.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 COURTFLOW_ENV=production \
    COURTFLOW_VAR_DIR=/var/lib/courtflow
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /app courtflow && mkdir -p /var/lib/courtflow && chown courtflow /var/lib/courtflow
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput -v0
USER courtflow
EXPOSE 8000
# One sync worker per CPU core (gunicorn reads WEB_CONCURRENCY); see README, "Production".
ENV WEB_CONCURRENCY=2
CMD ["gunicorn", "courtflow.wsgi:application", "--bind", "0.0.0.0:8000"]
