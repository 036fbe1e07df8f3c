# Anjian API / worker image. Same image, different command (see compose.yaml).

# Stage 1: the web client (web/), built with the same pinned packages as `make` (npm ci).
FROM node:24-bookworm-slim AS web
WORKDIR /build/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY web/ ./
RUN npm run build

# Stage 2: the API, which serves the built client at / (WEB_DIST).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# System packages: PostgreSQL client for pg_isready in the entrypoint checks; WeasyPrint's Pango,
# the harfbuzz subsetter (without it a Chinese page takes seconds) and the Noto CJK fonts the
# documents embed.
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /srv/anjian
COPY requirements.lock ./
RUN pip install -r requirements.lock

COPY pyproject.toml alembic.ini ./
COPY app ./app
COPY migrations ./migrations
COPY workers ./workers
COPY --from=web /build/web/dist ./web/dist
RUN pip install --no-deps . \
 && useradd --system --uid 10001 --home /srv/anjian anjian \
 && mkdir -p /srv/anjian/instance && chown anjian /srv/anjian/instance

ENV ANJIAN_WEB_DIST=/srv/anjian/web/dist
USER anjian
EXPOSE 8000
# 2 workers x 4 threads suits a 2-core host; tune with GUNICORN_CMD_ARGS.
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--workers", "2", "--threads", "4", \
     "--access-logfile", "-", "app:create_app()"]
