# One image for web (gunicorn), worker and beat; configured by environment only.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=config.settings.production
WORKDIR /app
# Production dependencies only (hashed, so pip checks every download); the test tools are in requirements-dev.lock.
COPY requirements.lock .
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY . .
# collectstatic needs settings to import; these build-time values are never used at run time.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=localhost DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput
RUN useradd --create-home portal && mkdir -p /app/media && chown portal /app/media
USER portal
EXPOSE 8000
# The slim image has no curl: probe /healthz with Python, as one of ALLOWED_HOSTS (else Django answers 400).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD python -c "\
import os, sys, urllib.request as u; \
h = os.environ.get('ALLOWED_HOSTS', 'localhost').split(',')[0].strip().lstrip('.'); \
h = 'localhost' if h in ('', '*') else h; \
r = u.urlopen(u.Request('http://127.0.0.1:8000/healthz', headers={'Host': h}), timeout=4); \
sys.exit(0 if r.status == 200 else 1)"
# Sync workers, cores + 1 of them (WEB_CONCURRENCY, which gunicorn reads): measured on 2 cores against gthread and
# 2 to 5 workers (bench/bench_read_api.py --compare; README "Production"). Re-measure on other hardware.
ENV WEB_CONCURRENCY=3
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--worker-class", "sync", "--access-logfile", "-"]
