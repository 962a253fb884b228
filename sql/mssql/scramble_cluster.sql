-- The database's service broker GUID (unique per database), for ssd scramble's same-database test.
SELECT CAST(d.service_broker_guid AS NVARCHAR(36)) AS cluster FROM sys.databases d WHERE d.name = DB_NAME()
