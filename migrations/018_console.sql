-- The console for the people who answer customers (issue 17): who did what is kept where the thing is.
--
-- A person may take a chat from the bot: a handoff with reason 'taken'. Whoever has the chat (took it, or
-- answered a chat the customer handed over) is named on the handoff, and so is whoever gave it back.
ALTER TABLE handoffs DROP CONSTRAINT handoffs_reason_check;
ALTER TABLE handoffs ADD CONSTRAINT handoffs_reason_check
  CHECK (reason IN ('requested', 'not_understood', 'complaint', 'payment_receipt', 'question', 'taken'));
ALTER TABLE handoffs
  ADD COLUMN taken_by      text,         -- the operator who has the chat (null: nobody has answered yet)
  ADD COLUMN taken_at      timestamptz,
  ADD COLUMN ended_by_name text;         -- the operator who gave it back (ended_by = 'operator')

-- A reply an operator wrote carries their name (null: the bot wrote it). A failed send an operator acted on
-- is resolved: sent again (retried, the new row points back with retry_of) or put aside (dismissed).
ALTER TABLE outbox
  ADD COLUMN operator_name text,
  ADD COLUMN retry_of      bigint REFERENCES outbox (id),
  ADD COLUMN resolved_at   timestamptz,
  ADD COLUMN resolved_by   text,
  ADD COLUMN resolution    text CHECK (resolution IN ('retried', 'dismissed')),
  ADD CONSTRAINT outbox_resolution_complete CHECK ((resolved_at IS NULL) = (resolution IS NULL));
-- the console's list of failed sends still to act on, newest first
CREATE INDEX outbox_unresolved_failures ON outbox ((coalesce(failed_at, updated_at)) DESC)
  WHERE status IN ('failed', 'expired') AND resolved_at IS NULL;

-- Labels an operator added or removed, by whom: shown in the chat's history.
CREATE TABLE label_changes (
  id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  chat_id       text        NOT NULL,
  operator_name text        NOT NULL,
  added         text[]      NOT NULL DEFAULT '{}',
  removed       text[]      NOT NULL DEFAULT '{}',
  at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX label_changes_by_chat ON label_changes (chat_id, at);

-- How far the team has read each chat: the customer's messages received after read_up_to are unread.
-- Shared by the team (one inbox), not per operator.
CREATE TABLE chat_reads (
  chat_id     text        PRIMARY KEY,
  read_up_to  timestamptz NOT NULL,
  read_by     text        NOT NULL,
  read_at     timestamptz NOT NULL DEFAULT now()
);

-- The console's search: a customer by name, number or label ("maria" finds "María José", "300 123" her
-- number), or by the words they wrote ("¿tienen envíos a Cali?" found by "cali"), accents and case folded.
-- Trigram indexes, so a search looks up the few matches instead of reading every profile and message.
-- The words are searched in message_logs, written by the ingest stage, rather than in inbound_messages,
-- whose insert is the webhook's acknowledgement: each index costs an ingest a few tens of microseconds,
-- and none of it lands on the ack.
CREATE FUNCTION guest_search_text(name text, phone text, labels jsonb) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN immutable_unaccent(lower(coalesce(name, '') || ' ' || phone || ' ' || labels::text));
CREATE INDEX guest_profiles_search ON guest_profiles USING gin (guest_search_text(user_name, phone_number, labels) gin_trgm_ops);
CREATE INDEX message_logs_text_search ON message_logs USING gin (immutable_unaccent(lower(message_text)) gin_trgm_ops);
