-- Held messages (issue 12): a message over the customer's rate limit is no longer closed unanswered.
-- It is held until its window frees up, then checked again and answered like any other. The chat's
-- later messages wait behind it (the converse drain stops at the first row not yet ingested).
-- 'rate_limited' stays allowed for the rows closed that way before this migration.

ALTER TABLE inbound_messages DROP CONSTRAINT inbound_messages_status_check;
ALTER TABLE inbound_messages ADD CONSTRAINT inbound_messages_status_check
  CHECK (status IN ('received', 'held', 'ingested', 'handled', 'stale', 'skipped', 'rate_limited'));

-- held_until: when the rate limit lets it be checked again (kept after release, for the record);
-- released_at: when it passed; its age for the "too old to answer" rule counts from here.
ALTER TABLE inbound_messages ADD COLUMN held_until timestamptz, ADD COLUMN released_at timestamptz;

-- The open rows of a chat, now including held ones (the drain must see them to stop at them).
DROP INDEX inbound_messages_open_by_chat;
CREATE INDEX inbound_messages_open_by_chat ON inbound_messages (chat_id, id) WHERE status IN ('received', 'held', 'ingested');
-- The recovery sweep's look for held rows whose release has passed (their delayed job lost).
CREATE INDEX inbound_messages_held_until ON inbound_messages (held_until) WHERE status = 'held';
