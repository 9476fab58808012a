-- Pulih: the application's PostgreSQL role may only append to the audit trail.
--
-- Run as the owner of the tables (the role that runs `manage.py migrate`), after
-- every migration, against the Pulih database:
--
--   psql -v ON_ERROR_STOP=1 -v app_role=pulih_app -d pulih -f scripts/pg_roles.sql
--
-- The role must exist already (CREATE ROLE pulih_app LOGIN PASSWORD '…';), must not
-- be a superuser and must not own the tables. `manage.py audit_lockdown --role
-- pulih_app [--create]` runs the same statements and then checks the result;
-- `manage.py audit_lockdown --role pulih_app --check` only checks.

\if :{?app_role}
\else
  \echo 'Set the application role: psql -v app_role=pulih_app ...'
  \quit
\endif

BEGIN;

GRANT CONNECT ON DATABASE :"DBNAME" TO :"app_role";
GRANT USAGE ON SCHEMA public TO :"app_role";

-- Domain tables: ordinary reads and writes (no TRUNCATE, REFERENCES or TRIGGER).
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app_role";
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO :"app_role";
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app_role";
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO :"app_role";

-- The audit trail: append and read only.
REVOKE ALL ON public.audit_auditevent FROM PUBLIC;
REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON public.audit_auditevent FROM :"app_role";
GRANT SELECT, INSERT ON public.audit_auditevent TO :"app_role";

-- The chain head moves forward with every event.
GRANT SELECT, INSERT, UPDATE ON public.audit_auditchainhead TO :"app_role";
REVOKE DELETE, TRUNCATE ON public.audit_auditchainhead FROM :"app_role";

COMMIT;

-- Show the result: UPDATE, DELETE and TRUNCATE must all be false.
SELECT p AS privilege, has_table_privilege(:'app_role', 'public.audit_auditevent', p) AS granted
  FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) AS p;
