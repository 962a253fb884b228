-- Person ids with more than one staging row (the lifecycle needs one row per child).
SELECT s.person_id AS person_id
FROM {{table}} s
WHERE s.person_id IS NOT NULL
GROUP BY s.person_id
HAVING COUNT(*) > 1
