-- The durable pipeline: every customer message is a row here before the webhook says 200,
-- every reply is an outbox row written in the same transaction that marks its message handled.

CREATE TABLE inbound_messages (
  id                  bigserial PRIMARY KEY,
  provider            text        NOT NULL,
  provider_message_id text        NOT NULL,
  chat_id             text        NOT NULL,           -- customer number, digits only
  provider_chat_id    text,                           -- e.g. Whapi "573…@s.whatsapp.net"
  customer_name       text,
  kind                text        NOT NULL,
  text                text,
  reply_id            text,                           -- tapped button / list row id
  context_message_id  text,
  details             jsonb       NOT NULL DEFAULT '{}',
  sent_at             timestamptz NOT NULL,           -- customer's clock (provider timestamp)
  received_at         timestamptz NOT NULL DEFAULT now(),
  -- received → ingested → handled; or stale (too old to answer), skipped (nothing to answer),
  -- rate_limited (over the customer's limits, logged but not answered)
  status              text        NOT NULL DEFAULT 'received'
                      CHECK (status IN ('received', 'ingested', 'handled', 'stale', 'skipped', 'rate_limited')),
  status_note         text,
  ingested_at         timestamptz,
  handled_at          timestamptz,
  -- the message whose reply also answered this one (a burst answered as one)
  answered_with_id    bigint REFERENCES inbound_messages (id),
  -- one row per provider message, forever: a redelivery days later is still a duplicate
  CONSTRAINT inbound_messages_provider_message_unique UNIQUE (provider, provider_message_id)
);
CREATE INDEX inbound_messages_open_by_chat ON inbound_messages (chat_id, id) WHERE status IN ('received', 'ingested');
CREATE INDEX inbound_messages_open_by_age ON inbound_messages (received_at) WHERE status IN ('received', 'ingested');
CREATE INDEX inbound_messages_chat_history ON inbound_messages (chat_id, received_at DESC);

CREATE TABLE outbox (
  id                            bigserial PRIMARY KEY,
  chat_id                       text        NOT NULL,
  provider_chat_id              text,
  inbound_id                    bigint REFERENCES inbound_messages (id),
  seq                           smallint    NOT NULL DEFAULT 0,   -- nth reply caused by that inbound message
  content                       jsonb       NOT NULL,
  reply_to_provider_message_id  text,
  -- pending → sent → delivered → read; failed (provider refused or reported failure); expired (too old to send)
  status                        text        NOT NULL DEFAULT 'pending'
                                CHECK (status IN ('pending', 'sent', 'delivered', 'read', 'failed', 'expired')),
  attempts                      integer     NOT NULL DEFAULT 0,
  locked_until                  timestamptz,  -- lease of the sender working on the row (see claimForSending)
  provider                      text,
  provider_message_id           text,
  error_code                    integer,
  error_title                   text,
  created_at                    timestamptz NOT NULL DEFAULT now(),
  updated_at                    timestamptz NOT NULL DEFAULT now(),
  sent_at                       timestamptz,
  delivered_at                  timestamptz,
  read_at                       timestamptz,
  failed_at                     timestamptz,
  -- a re-run of the stage that wrote the replies cannot write them twice
  CONSTRAINT outbox_inbound_seq_unique UNIQUE (inbound_id, seq)
);
CREATE UNIQUE INDEX outbox_provider_message_unique ON outbox (provider_message_id) WHERE provider_message_id IS NOT NULL;
CREATE INDEX outbox_pending_by_age ON outbox (created_at) WHERE status = 'pending';
CREATE INDEX outbox_chat_history ON outbox (chat_id, created_at DESC);

-- Every delivery status the provider reports, as reported. Statuses can arrive before we have
-- recorded the send (the provider is fast) or out of order; the outbox row is reconciled from here.
CREATE TABLE message_statuses (
  id                  bigserial PRIMARY KEY,
  provider            text        NOT NULL,
  provider_message_id text        NOT NULL,
  status              text        NOT NULL,
  reported_at         timestamptz NOT NULL,
  recipient           text,
  error_code          integer,
  error_title         text,
  received_at         timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT message_statuses_unique UNIQUE (provider, provider_message_id, status)
);

-- The seed's message log: one row per customer message once parsed, with what the rate limiter decided.
CREATE TABLE message_logs (
  id                   bigserial PRIMARY KEY,
  inbound_id           bigint      NOT NULL UNIQUE REFERENCES inbound_messages (id),
  customer_phone       text        NOT NULL,
  message_type         text        NOT NULL,
  message_text         text,
  message_timestamp    timestamptz NOT NULL,
  rate_limit_exceeded  boolean     NOT NULL DEFAULT false,
  details              jsonb       NOT NULL DEFAULT '{}',
  created_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_message_logs_rate_limit ON message_logs (customer_phone, message_timestamp DESC) WHERE rate_limit_exceeded = false;
