BEGIN
  -- The staging tables' locks (src/send/tableLock.ts): one row per staging table, which a run locks
  -- (SELECT … FOR UPDATE) in a transaction it holds open until it ends. Oracle's user locks
  -- (DBMS_LOCK) need a grant most logins lack; a row lock needs only this table, in the staging
  -- schema. Created only when missing (ORA-00955: it is there). No data of a child.
  EXECUTE IMMEDIATE 'CREATE TABLE {{locks}} (
    lock_name VARCHAR2(64 CHAR) NOT NULL PRIMARY KEY
  )';
EXCEPTION
  WHEN OTHERS THEN
    IF SQLCODE != -955 THEN RAISE; END IF;
END;
