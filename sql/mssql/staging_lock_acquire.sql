-- Take the staging table's lock (src/send/tableLock.ts) for this session, without waiting:
-- an exclusive application lock named $1, owned by the session (released by sp_releaseapplock or
-- when the session ends). $2 labels the session for the holder query (CONTEXT_INFO).
-- r >= 0: granted; -1: another session holds it.
DECLARE @r INT;
EXEC @r = sp_getapplock @Resource = $1, @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = 0;
IF @r >= 0
BEGIN
  DECLARE @ctx VARBINARY(128) = CAST(CAST($2 AS VARCHAR(128)) AS VARBINARY(128));
  SET CONTEXT_INFO @ctx;
END
SELECT @r AS r;
