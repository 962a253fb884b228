-- The cluster's system identifier (unique per PostgreSQL cluster), for ssd scramble's same-database test.
SELECT CAST(system_identifier AS TEXT) AS cluster FROM pg_control_system()
