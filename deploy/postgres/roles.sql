-- One PostgreSQL role per service, owning its own schema and nothing else (no superuser in
-- any DATABASE_URL). Run once per database as a superuser, and again after adding a service;
-- it is idempotent and also hands an existing deployment's schemas (created by one shared
-- owner) over to their services' roles:
--   psql "postgres://postgres@host/gsr" -v ON_ERROR_STOP=1 -f deploy/postgres/roles.sql
-- Passwords are not set here (nothing secret in the repository): give each role LOGIN and its
-- password afterwards (deploy/postgres/passwords.sh under docker compose; the CloudNativePG
-- Cluster's managed roles in deploy/postgres/cluster.yaml). Each service's DATABASE_URL then
-- names its own role: postgres://gsr_identity:<password>@<host>:5432/gsr, and so on.
--
-- CONNECTION LIMIT is the connection budget of deploy/README.md ("Connection budget"): the
-- most pods the service can run at once (HPA maximum or replicas, plus the rollout's surge)
-- times (DATABASE_POOL_SIZE + 1 LISTEN connection), plus 1 for the release's migration job.
-- apps/standalone/src/deploy.spec.ts checks these figures against the manifests.

DO $$
DECLARE
  service record;
  role_name text;
  object record;
BEGIN
  EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
  FOR service IN
    SELECT * FROM (VALUES
      ('identity', 15),
      ('hierarchy', 11),
      ('intake', 31),
      ('review', 13),
      ('files', 9),
      ('notification', 9),
      ('assessment', 7)
    ) AS s(name, connection_limit)
  LOOP
    role_name := 'gsr_' || service.name;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = role_name) THEN
      EXECUTE format('CREATE ROLE %I NOLOGIN', role_name);
    END IF;
    EXECUTE format(
      'ALTER ROLE %I NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT %s',
      role_name, service.connection_limit);
    EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', current_database(), role_name);
    -- Unqualified names resolve in the service's own schema even where the client cannot pass
    -- `options` (PgBouncer with ignore_startup_parameters = options).
    EXECUTE format('ALTER ROLE %I IN DATABASE %I SET search_path = %I', role_name, current_database(), service.name);
    EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', service.name, role_name);
    EXECUTE format('ALTER SCHEMA %I OWNER TO %I', service.name, role_name);
    -- An existing deployment: its tables, views, free-standing sequences, functions and types
    -- change owner too (a table's own sequences follow their table).
    FOR object IN
      SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = service.name AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
        AND NOT (c.relkind = 'S' AND EXISTS (
          SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')))
    LOOP
      EXECUTE format('ALTER %s %I.%I OWNER TO %I',
        CASE object.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END,
        service.name, object.relname, role_name);
    END LOOP;
    FOR object IN
      SELECT p.oid::regprocedure AS signature FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = service.name
    LOOP
      EXECUTE format('ALTER ROUTINE %s OWNER TO %I', object.signature, role_name);
    END LOOP;
    FOR object IN
      SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = service.name AND t.typtype IN ('e', 'd') 
    LOOP
      EXECUTE format('ALTER TYPE %I.%I OWNER TO %I', service.name, object.typname, role_name);
    END LOOP;
  END LOOP;
END
$$;

-- No service creates objects outside its schema (PostgreSQL 15 already revokes this).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- review's trigram search indexes need pg_trgm; only a superuser (or the database owner) may
-- create it, so it is created here and review's migration finds it present.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
