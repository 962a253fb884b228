-- Pre-flight: does schema $2 exist in database $1 (NULL = current), and may we read it / create
-- tables in it? Runs inside that database through its own sp_executesql; the database name is
-- quoted by QUOTENAME, never pasted in.
DECLARE @db SYSNAME = COALESCE($1, DB_NAME());
DECLARE @proc NVARCHAR(400) = QUOTENAME(@db) + N'.sys.sp_executesql';
DECLARE @exists INT = NULL, @can_select INT = NULL, @can_alter INT = NULL, @error NVARCHAR(2048) = NULL;
IF DB_ID(@db) IS NULL
    SET @error = N'database not found';
ELSE
BEGIN
  BEGIN TRY
    EXEC @proc
        N'SELECT @exists = CASE WHEN SCHEMA_ID(@s) IS NULL THEN 0 ELSE 1 END,
                 @can_select = HAS_PERMS_BY_NAME(@s, ''SCHEMA'', ''SELECT''),
                 @can_alter = HAS_PERMS_BY_NAME(@s, ''SCHEMA'', ''ALTER'');',
        N'@s SYSNAME, @exists INT OUTPUT, @can_select INT OUTPUT, @can_alter INT OUTPUT',
        @s = $2, @exists = @exists OUTPUT, @can_select = @can_select OUTPUT, @can_alter = @can_alter OUTPUT;
  END TRY
  BEGIN CATCH
    SET @error = ERROR_MESSAGE();
  END CATCH;
END;
SELECT @db AS database_name, @exists AS schema_exists, @can_select AS can_select, @can_alter AS can_alter, @error AS error_message;
