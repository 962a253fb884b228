-- Which database a connection is on (ssd scramble refuses to write over its own source tables):
-- the database name, the server's address and port and the cluster's system identifier.
SELECT current_database() AS db,
       COALESCE(CAST(inet_server_addr() AS TEXT), '') || ':' || COALESCE(CAST(inet_server_port() AS TEXT), '') AS server,
       (SELECT CAST(system_identifier AS TEXT) FROM pg_control_system()) AS cluster
