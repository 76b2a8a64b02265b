-- Runs once when the compose PostgreSQL starts on an empty volume (docker-entrypoint-initdb.d), as the superuser, in the
-- POSTGRES_DB database (neuromesh). The delta-log tables are created and migrated by the silos themselves
-- (schema "neuromesh", PostgresDeltaLogStore's migrations), and so are the membership tables of Orleans' ADO.NET
-- clustering (schema "neuromesh_cluster" and the OrleansQuery statements, PostgresClusteringSchema): no Orleans scripts.
CREATE SCHEMA IF NOT EXISTS neuromesh;
-- A role for read-only inspection and for backups (pg_dump needs SELECT on the delta-log tables).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'neuromesh_reader') THEN
    CREATE ROLE neuromesh_reader NOLOGIN;
  END IF;
END
$$;
GRANT USAGE ON SCHEMA neuromesh TO neuromesh_reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA neuromesh GRANT SELECT ON TABLES TO neuromesh_reader;
