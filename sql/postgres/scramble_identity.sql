-- Which database a connection is on (ssd scramble refuses to write over its own source tables):
-- the database name and the server's address and port (the cluster id is read apart: it may be denied).
SELECT current_database() AS db,
       COALESCE(CAST(inet_server_addr() AS TEXT), '') || ':' || COALESCE(CAST(inet_server_port() AS TEXT), '') AS server
