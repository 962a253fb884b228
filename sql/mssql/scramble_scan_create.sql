-- ssd scramble's verification scan: keyed 64-bit hashes of the source's identifying values (never
-- the values), in a #temporary table of the scan's own session (gone when the session ends).
CREATE TABLE {{table}} (h BIGINT NOT NULL)
