-- ssd scramble's verification scan: index the keys once they are all in, for the lookups.
CREATE INDEX {{index}} ON {{table}} (h)
