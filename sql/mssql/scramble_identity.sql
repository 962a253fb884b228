-- Which database a connection is on (ssd scramble refuses to write over its own source tables):
-- the database name, the server name and the database's service broker GUID (unique per database).
SELECT DB_NAME() AS db,
       CAST(SERVERPROPERTY('ServerName') AS NVARCHAR(256)) AS server,
       (SELECT CAST(d.service_broker_guid AS NVARCHAR(36)) FROM sys.databases d WHERE d.name = DB_NAME()) AS cluster
