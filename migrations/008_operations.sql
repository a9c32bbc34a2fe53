-- Operations (seed 004, "Sistema de Métricas"): what happened, kept raw for a while and rolled up per
-- minute for the dashboard; and human handoffs, the chats the bot has stepped back from.

-- Append-only: rows are inserted (most of them inside the transaction whose work they describe, so a
-- rollback leaves no phantom event) and only ever deleted by the retention prune. Never updated.
CREATE TABLE events (
  id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  -- message_received, intent_detected, reply_sent, reply_failed, rate_limited, ai_call, cart_changed,
  -- order_created, payment_received, handoff_started, handoff_ended, error
  type        text        NOT NULL CHECK (type ~ '^[a-z_]+$'),
  chat_id     text,
  data        jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(data) = 'object')
);
-- the roll-up reads a few minutes at a time and the prune deletes the oldest: both by time
CREATE INDEX events_occurred_at ON events (occurred_at);

-- One row per minute, recomputed from events by the maintenance roll-up (INSERT … ON CONFLICT DO
-- UPDATE): running it twice, or late, gives the same row. Kept far longer than the raw events.
CREATE TABLE metric_minutes (
  minute             timestamptz PRIMARY KEY CHECK (date_trunc('minute', minute) = minute),
  messages_in        integer     NOT NULL DEFAULT 0,
  messages_out       integer     NOT NULL DEFAULT 0,
  -- webhook commit of the customer's message → the provider accepting our reply
  e2e_p50_ms         double precision,
  e2e_p95_ms         double precision,
  e2e_p99_ms         double precision,
  errors             integer     NOT NULL DEFAULT 0,
  -- errors (failed jobs, refused replies) per message handled in the minute
  error_rate         double precision NOT NULL DEFAULT 0,
  rate_limited       integer     NOT NULL DEFAULT 0,
  session_cache_hits   integer   NOT NULL DEFAULT 0,
  session_cache_misses integer   NOT NULL DEFAULT 0,
  -- hits / (hits + misses); null when no session was read
  cache_hit_rate     double precision,
  ai_calls           integer     NOT NULL DEFAULT 0,
  ai_failures        integer     NOT NULL DEFAULT 0,
  ai_cost_usd        numeric(14,8) NOT NULL DEFAULT 0,
  -- {"gemini": 0.0012, "openai": 0.0003}
  ai_cost_by_provider jsonb      NOT NULL DEFAULT '{}',
  -- share of AI readings the keyword reading agreed with (where the keywords had an opinion)
  ai_agreement       double precision,
  -- share of bursts the AI read with confidence below the threshold (answered by keywords instead)
  ai_low_confidence  double precision,
  -- {"greeting": 12, "search_products": 5}
  intents            jsonb       NOT NULL DEFAULT '{}',
  orders             integer     NOT NULL DEFAULT 0,
  payments           integer     NOT NULL DEFAULT 0,
  handoffs_started   integer     NOT NULL DEFAULT 0,
  computed_at        timestamptz NOT NULL DEFAULT now()
);

-- A chat handed to a person: the bot stays quiet there (messages are still stored) until an operator
-- resumes it or resume_at passes.
CREATE TABLE handoffs (
  id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  chat_id     text        NOT NULL,
  -- 'requested' (the customer asked for a person) or 'not_understood' (the bot kept missing)
  reason      text        NOT NULL CHECK (reason IN ('requested', 'not_understood')),
  customer_name text,
  -- the customer's words that started it, for the operator's notification
  last_message text,
  started_at  timestamptz NOT NULL DEFAULT now(),
  resume_at   timestamptz NOT NULL,
  ended_at    timestamptz,
  -- 'operator' (resumed from the admin API or dashboard) or 'timeout' (auto-resumed)
  ended_by    text        CHECK (ended_by IN ('operator', 'timeout')),
  -- the team was told (webhook answered 2xx / operator message queued); null until then, retried by the sweep
  notified_at timestamptz,
  CHECK ((ended_at IS NULL) = (ended_by IS NULL))
);
-- at most one open handoff per chat: the bot is paused or it is not
CREATE UNIQUE INDEX handoffs_one_open_per_chat ON handoffs (chat_id) WHERE ended_at IS NULL;
CREATE INDEX handoffs_open_by_resume ON handoffs (resume_at) WHERE ended_at IS NULL;
CREATE INDEX handoffs_unnotified ON handoffs (started_at) WHERE notified_at IS NULL;
