-- One record held back by the sender (it fails the DfE schema now, so it is not sent; Withheld so that
-- no community sender sends it either): $1 id, $2 hex hash and $3 payload text read for sending, $4 the reason.
-- Only if the row still holds that payload (a newer one written by staging meanwhile stays queued).
UPDATE {{table}} AS s SET
    "submission_status" = 'Withheld',
    "api_response" = $4::text
WHERE s."id" = $1::bigint
  AND (s."current_hash" = decode($2::text, 'hex') OR (s."current_hash" IS NULL AND $2::text IS NULL AND CAST(s."json_payload" AS TEXT) = $3::text))
