-- ssd scramble's verification scan: a batch of keys as one array parameter.
INSERT INTO {{table}} (h) SELECT unnest($1::bigint[])
