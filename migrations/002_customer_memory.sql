-- Customer memory (seed 000 and the sessions / rate-limit parts of seed 004): everything the business
-- knows about a customer lives here and survives restarts; Redis only caches it.

-- Shop customers: the tier decides the rate limits.
CREATE TABLE customers (
  phone          text PRIMARY KEY,
  name           text,
  customer_tier  text        NOT NULL DEFAULT 'new' CHECK (customer_tier IN ('new', 'regular', 'vip')),
  total_orders   integer     NOT NULL DEFAULT 0,
  opted_out_at   timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);

-- Guest profiles, columns as in seed 000 (phone_number PK … created_at), plus first_interaction and a
-- message counter for the marketing archive.
CREATE TABLE guest_profiles (
  phone_number         text PRIMARY KEY,
  chat_id              text        NOT NULL,
  thread_id            text,
  user_name            text,
  labels               jsonb       NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(labels) = 'array'),
  context_cache        text,
  last_context_update  timestamptz,
  profile_data         jsonb       NOT NULL DEFAULT '{}',
  first_interaction    timestamptz NOT NULL DEFAULT now(),
  last_interaction     timestamptz NOT NULL DEFAULT now(),
  total_interactions   integer     NOT NULL DEFAULT 0,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_guest_last_interaction ON guest_profiles (last_interaction);
CREATE INDEX idx_guest_labels ON guest_profiles USING gin (labels);

-- Guests inactive for a while, kept for marketing (seed 000's archiveInactive).
CREATE TABLE historical_clients (
  id                  serial PRIMARY KEY,
  phone_number        text UNIQUE NOT NULL,
  user_name           text,
  labels              jsonb       NOT NULL DEFAULT '[]',
  total_interactions  integer     NOT NULL DEFAULT 0,
  first_interaction   timestamptz,
  last_interaction    timestamptz,
  booking_status      text,       -- e.g. interested, booked
  profile_data        jsonb       NOT NULL DEFAULT '{}',
  archived_at         timestamptz NOT NULL DEFAULT now(),
  created_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_historical_booking_status ON historical_clients (booking_status);

-- Conversation state per customer (seed 004): flow step, cart reference, context. Durable copy of
-- what Redis caches; written in the same transaction as the message that changed it.
CREATE TABLE customer_sessions (
  id              bigserial PRIMARY KEY,
  customer_phone  text        NOT NULL UNIQUE,
  session_state   text        NOT NULL DEFAULT 'idle',
  cart_data       jsonb       NOT NULL DEFAULT '{}',
  context_data    jsonb       NOT NULL DEFAULT '{}',
  version         integer     NOT NULL DEFAULT 1,
  expires_at      timestamptz NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_customer_sessions_expires ON customer_sessions (expires_at);

-- Rate limits per tier (seed 004's defaults).
CREATE TABLE rate_limit_config (
  id              serial PRIMARY KEY,
  customer_tier   text        NOT NULL UNIQUE,
  max_per_minute  integer     NOT NULL CHECK (max_per_minute > 0),
  max_per_hour    integer     NOT NULL CHECK (max_per_hour > 0),
  max_per_day     integer     NOT NULL CHECK (max_per_day > 0),
  burst_size      integer     NOT NULL CHECK (burst_size > 0),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
INSERT INTO rate_limit_config (customer_tier, max_per_minute, max_per_hour, max_per_day, burst_size) VALUES
  ('new', 5, 60, 500, 10),
  ('regular', 10, 120, 1000, 20),
  ('vip', 20, 300, 2000, 50);

-- Run-time switches (seed 004's rollback levers), read with a short cache: no redeploy needed.
CREATE TABLE system_config (
  key         text PRIMARY KEY,
  value       text        NOT NULL,
  description text,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO system_config (key, value, description) VALUES
  ('use_ai_providers', 'true', 'Use the AI providers for understanding and replies; false = keyword mode only'),
  ('use_redis_sessions', 'true', 'Cache sessions in Redis; false = read and write PostgreSQL only'),
  ('session_ttl_seconds', '7200', 'How long a conversation session lives without activity'),
  ('archive_inactive_days', '30', 'Guests inactive this many days move to historical_clients');

-- Every message of a chat in and out, in order: the seed's "threads", queryable per customer.
CREATE VIEW conversation_history AS
  SELECT chat_id, 'in'::text AS direction, id AS message_id, kind, coalesce(text, reply_id) AS text, received_at AS at
    FROM inbound_messages
  UNION ALL
  SELECT chat_id, 'out'::text, id, content->>'type', coalesce(content->>'text', content->>'body'), coalesce(sent_at, created_at)
    FROM outbox WHERE status IN ('sent', 'delivered', 'read');
