-- ssd scramble's verification scan: which of these keys (one array parameter) are source values.
SELECT DISTINCT h FROM {{table}} WHERE h = ANY($1::bigint[])
