-- Which database a connection is on (ssd scramble refuses to write over its own source tables):
-- the database name and the server name.
SELECT DB_NAME() AS db, CAST(SERVERPROPERTY('ServerName') AS NVARCHAR(256)) AS server
