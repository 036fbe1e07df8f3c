-- Roles for a production-like database (run once by the PostgreSQL superuser, e.g. by the
-- postgres image's /docker-entrypoint-initdb.d). Passwords here are compose placeholders.
--   anjian_owner: owns the schema; alembic migrations connect as it (MIGRATION_DATABASE_URL).
--   anjian_app:   NOLOGIN group the migrations grant to; owns nothing, no BYPASSRLS.
--   anjian_web:   the login the API and workers use (DATABASE_URL), a member of anjian_app.
CREATE ROLE anjian_owner LOGIN PASSWORD 'owner-change-me';
CREATE ROLE anjian_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
CREATE ROLE anjian_web LOGIN PASSWORD 'web-change-me' IN ROLE anjian_app;
CREATE DATABASE anjian OWNER anjian_owner;
