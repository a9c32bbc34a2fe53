-- Replies the provider accepted are never sent twice, and replies that did not reach the customer are seen (issue 13).
--
-- A provider that answers a send with a message id already recorded for another reply (it happened) would
-- make the record hit outbox_provider_message_unique forever. The reply did go out, so it is recorded as
-- sent with the provider's id kept here instead, for an operator; the unique index stays, so delivery
-- statuses for that id keep updating the one row that holds it.
ALTER TABLE outbox ADD COLUMN duplicate_provider_message_id text;

-- The operator's list of replies that did not reach the customer (refused, reported failed, expired),
-- newest first: a small partial index, since such rows are few next to the sent ones.
CREATE INDEX outbox_undelivered_recent ON outbox ((coalesce(failed_at, updated_at)) DESC) WHERE status IN ('failed', 'expired');
