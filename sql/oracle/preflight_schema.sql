-- Pre-flight: does schema $1 exist (in Oracle a schema is a user), is it this login's own, and how
-- many of its tables and views may this login see (a source schema the script reads).
SELECT u.username AS schema_name,
       CASE WHEN u.username = USER THEN 1 ELSE 0 END AS is_own,
       (SELECT COUNT(*) FROM all_objects o WHERE o.owner = u.username AND o.object_type IN ('TABLE', 'VIEW')) AS visible_objects
FROM all_users u
WHERE u.username = UPPER($1)
