#!/usr/bin/env bash
# One PostgreSQL role per component, each with only the rights it needs. The postgres image runs
# this once, on an empty data directory, after postgres-init.sql has created the databases
# (docker-compose mounts both in /docker-entrypoint-initdb.d/). It is safe to run again, and an
# existing deployment upgrades with it (existing tables change owner, passwords are reset):
#   docker compose -f deploy/docker-compose.yml --env-file .env exec -T postgres \
#     bash /docker-entrypoint-initdb.d/20-roles.sh
#
#   role              database   rights
#   tro_ly_rasa       tracker    owns the tables it creates (Rasa's `events`)
#   tro_ly_console    console    owns every console table: the widget/console server creates them all at
#                                start-up (web/console/accounts.py, records/events.py, records/reviews.py)
#   tro_ly_actions    dossiers   owns the dossier and proof-of-link tables
#                     console    INSERT on bot_events (+ SELECT of its id, for INSERT ... RETURNING, and
#                                its sequence) and on bot_replies; nothing else: no console_* accounts,
#                                sessions or audit, no answer_reviews, no UPDATE/DELETE/DROP
#   tro_ly_retention  all three  SELECT + DELETE on the tables records/retention.py cleans, UPDATE (text)
#                                of bot_events (it blanks labelled questions), SELECT on answer_reviews;
#                                not the dossiers mirror, not the console accounts
# Nobody else may connect (REVOKE ... FROM PUBLIC); only a table's owner may create tables in its
# database. Grants to other roles follow each table as it is created: the tracker by default
# privileges (every table Rasa creates is conversation data), the console and dossier databases by
# an event trigger that grants on the listed tables only (default privileges cover every table of
# a schema, which would give the action server the console's password hashes).
#
# Passwords come from the environment (TRACKER_DB_PASSWORD, ACTIONS_DB_PASSWORD, CONSOLE_DB_PASSWORD,
# RETENTION_DB_PASSWORD) through psql's \getenv: never on a command line, never in a file.
# Connects as POSTGRES_USER (the superuser, used by no component) with the usual PG* variables.

tro_ly_roles() (
  set -euo pipefail
  : "${TRACKER_DB_PASSWORD:?set TRACKER_DB_PASSWORD (tro_ly_rasa, the tracker store)}"
  : "${ACTIONS_DB_PASSWORD:?set ACTIONS_DB_PASSWORD (tro_ly_actions, the action servers)}"
  : "${CONSOLE_DB_PASSWORD:?set CONSOLE_DB_PASSWORD (tro_ly_console, the widget and console)}"
  : "${RETENTION_DB_PASSWORD:?set RETENTION_DB_PASSWORD (tro_ly_retention, the retention job)}"

  psql -X -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres <<'EOSQL'
\getenv tracker_password TRACKER_DB_PASSWORD
\getenv actions_password ACTIONS_DB_PASSWORD
\getenv console_password CONSOLE_DB_PASSWORD
\getenv retention_password RETENTION_DB_PASSWORD

-- ------------------------------------------------------------------ roles (cluster-wide)
SELECT format('CREATE ROLE %I', wanted)
  FROM unnest(ARRAY['tro_ly_rasa', 'tro_ly_actions', 'tro_ly_console', 'tro_ly_retention']) AS wanted
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = wanted) \gexec
ALTER ROLE tro_ly_rasa      LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'tracker_password';
ALTER ROLE tro_ly_actions   LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'actions_password';
ALTER ROLE tro_ly_console   LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'console_password';
ALTER ROLE tro_ly_retention LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'retention_password';

-- Databases: no CONNECT or TEMP for PUBLIC anywhere (postgres, the old default database too).
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', datname) FROM pg_database WHERE NOT datistemplate \gexec
GRANT CONNECT ON DATABASE tracker  TO tro_ly_rasa, tro_ly_retention;
GRANT CONNECT ON DATABASE console  TO tro_ly_console, tro_ly_actions, tro_ly_retention, tro_ly_rasa;
GRANT CONNECT ON DATABASE dossiers TO tro_ly_actions, tro_ly_retention;

-- ------------------------------------------------------------------ tracker (Rasa)
\connect tracker
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO tro_ly_rasa;
GRANT USAGE ON SCHEMA public TO tro_ly_retention;
-- An existing deployment: its tables were created by the old shared role.
SELECT format('ALTER TABLE public.%I OWNER TO tro_ly_rasa', tablename)
  FROM pg_tables WHERE schemaname = 'public' AND tableowner <> 'tro_ly_rasa' \gexec
ALTER DEFAULT PRIVILEGES FOR ROLE tro_ly_rasa IN SCHEMA public GRANT SELECT, DELETE ON TABLES TO tro_ly_retention;
GRANT SELECT, DELETE ON ALL TABLES IN SCHEMA public TO tro_ly_retention;

-- ------------------------------------------------------------------ console (widget/console server)
\connect console
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO tro_ly_console;
GRANT USAGE ON SCHEMA public TO tro_ly_actions, tro_ly_retention, tro_ly_rasa;
SELECT format('ALTER TABLE public.%I OWNER TO tro_ly_console', tablename)
  FROM pg_tables WHERE schemaname = 'public' AND tableowner <> 'tro_ly_console' \gexec

-- Grants on the tables other components use, run by the table's owner as it creates them.
CREATE OR REPLACE FUNCTION public.tro_ly_grants() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
  IF to_regclass('public.bot_events') IS NOT NULL THEN
    -- The action server records what the bot did (records/events.py): INSERT ... RETURNING id.
    GRANT INSERT, SELECT (id) ON public.bot_events TO tro_ly_actions;
    EXECUTE format('GRANT USAGE ON SEQUENCE %s TO tro_ly_actions', pg_get_serial_sequence('public.bot_events', 'id'));
    -- Retention deletes old events and blanks the question of labelled ones.
    GRANT SELECT, DELETE, UPDATE (text) ON public.bot_events TO tro_ly_retention;
  END IF;
  IF to_regclass('public.bot_replies') IS NOT NULL THEN
    GRANT INSERT ON public.bot_replies TO tro_ly_actions;
    GRANT SELECT, DELETE ON public.bot_replies TO tro_ly_retention;
  END IF;
  IF to_regclass('public.answer_reviews') IS NOT NULL THEN
    GRANT SELECT ON public.answer_reviews TO tro_ly_retention;  -- which events are labelled (kept)
  END IF;
  -- Live handoff (records/handoffs.py): the action servers queue conversations, leave questions
  -- and read who is on duty; Rasa's socket.io channel delivers answers to widget citizens.
  IF to_regclass('public.handoffs') IS NOT NULL THEN
    GRANT SELECT, INSERT, UPDATE (state, closed_at) ON public.handoffs TO tro_ly_actions;
    EXECUTE format('GRANT USAGE ON SEQUENCE %s TO tro_ly_actions', pg_get_serial_sequence('public.handoffs', 'id'));
    GRANT SELECT, DELETE ON public.handoffs TO tro_ly_retention;
  END IF;
  IF to_regclass('public.left_questions') IS NOT NULL THEN
    GRANT SELECT, INSERT, UPDATE (delivered_at) ON public.left_questions TO tro_ly_actions;
    EXECUTE format('GRANT USAGE ON SEQUENCE %s TO tro_ly_actions',
                   pg_get_serial_sequence('public.left_questions', 'id'));
    GRANT SELECT, UPDATE (delivered_at) ON public.left_questions TO tro_ly_rasa;
    GRANT SELECT, DELETE ON public.left_questions TO tro_ly_retention;
  END IF;
  IF to_regclass('public.handoff_officers') IS NOT NULL THEN
    GRANT SELECT ON public.handoff_officers TO tro_ly_actions;
  END IF;
END $$;
CREATE OR REPLACE FUNCTION public.tro_ly_grants_on_create() RETURNS event_trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
  PERFORM public.tro_ly_grants();
END $$;
REVOKE ALL ON FUNCTION public.tro_ly_grants(), public.tro_ly_grants_on_create() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.tro_ly_grants(), public.tro_ly_grants_on_create() TO tro_ly_console;
DROP EVENT TRIGGER IF EXISTS tro_ly_grants;
CREATE EVENT TRIGGER tro_ly_grants ON ddl_command_end WHEN TAG IN ('CREATE TABLE')
  EXECUTE FUNCTION public.tro_ly_grants_on_create();
SELECT public.tro_ly_grants();

-- ------------------------------------------------------------------ dossiers (action servers)
\connect dossiers
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO tro_ly_actions;
GRANT USAGE ON SCHEMA public TO tro_ly_retention;
SELECT format('ALTER TABLE public.%I OWNER TO tro_ly_actions', tablename)
  FROM pg_tables WHERE schemaname = 'public' AND tableowner <> 'tro_ly_actions' \gexec

-- Retention deletes expired proof-of-link rows (records/retention.py PROOF_TABLES); it never
-- reads the dossiers mirror.
CREATE OR REPLACE FUNCTION public.tro_ly_grants() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
  proof_table text;
BEGIN
  FOREACH proof_table IN ARRAY ARRAY['proof_attempts', 'proof_otps', 'proof_failures', 'proof_locks'] LOOP
    IF to_regclass('public.' || proof_table) IS NOT NULL THEN
      EXECUTE format('GRANT SELECT, DELETE ON public.%I TO tro_ly_retention', proof_table);
    END IF;
  END LOOP;
END $$;
CREATE OR REPLACE FUNCTION public.tro_ly_grants_on_create() RETURNS event_trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
  PERFORM public.tro_ly_grants();
END $$;
REVOKE ALL ON FUNCTION public.tro_ly_grants(), public.tro_ly_grants_on_create() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.tro_ly_grants(), public.tro_ly_grants_on_create() TO tro_ly_actions;
DROP EVENT TRIGGER IF EXISTS tro_ly_grants;
CREATE EVENT TRIGGER tro_ly_grants ON ddl_command_end WHEN TAG IN ('CREATE TABLE')
  EXECUTE FUNCTION public.tro_ly_grants_on_create();
SELECT public.tro_ly_grants();
EOSQL
)

tro_ly_roles
