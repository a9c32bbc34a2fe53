-- Operators are people (issue 17): named accounts with a password, sessions kept here (a stolen cookie is
-- revoked by deleting its row), a one-time link for the very first account, the operator's name on what
-- they did, and the record of customers erased on request (Colombia's Ley 1581).

-- An owner manages accounts and erases customers; an operator does everything else in the console.
CREATE TABLE operators (
  id                  integer     GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- shown in the history ("respondió Ana"): trimmed, 1 to 40 characters
  name                text        NOT NULL CHECK (name = btrim(name) AND length(name) BETWEEN 1 AND 40),
  role                text        NOT NULL DEFAULT 'operator' CHECK (role IN ('owner', 'operator')),
  -- PHC-style string of Node's scrypt: $scrypt$ln=15,r=8,p=3$<salt>$<hash> (src/operators/password-hash.ts)
  password_hash       text        NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  -- who created it: an owner's name, 'ADMIN_TOKEN', 'setup' or 'command line'
  created_by          text,
  password_changed_at timestamptz NOT NULL DEFAULT now(),
  last_login_at       timestamptz
);
-- "Ana" and "ana" are one person to whoever reads the history
CREATE UNIQUE INDEX operators_name_unique ON operators (lower(name));

-- A signed-in browser. The cookie holds a random token; only its SHA-256 is kept, so reading this table
-- opens no session. Deleting an operator ends their sessions (cascade).
CREATE TABLE operator_sessions (
  token_hash    bytea       PRIMARY KEY,
  operator_id   integer     NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  -- slides forward with use (ADMIN_SESSION_HOURS), never past created_at + 7 days
  expires_at    timestamptz NOT NULL,
  ip            text,
  user_agent    text
);
CREATE INDEX operator_sessions_by_operator ON operator_sessions (operator_id);
CREATE INDEX operator_sessions_expires ON operator_sessions (expires_at);

-- First run: with no ADMIN_TOKEN and no operator, the web role prints a link holding one of these; it
-- creates the first owner once, then every token is deleted. Only hashes are kept.
CREATE TABLE operator_setup_tokens (
  token_hash  bytea       PRIMARY KEY,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);

-- The operator's name on what they did (null: the bot, or done before this migration). Replies and
-- handoffs given back carry it since 018 (outbox.operator_name, handoffs.ended_by_name).
ALTER TABLE system_config ADD COLUMN updated_by text;

-- A customer erased on request. The customer's key (their number) is not kept: a salted scrypt hash of it
-- answers "was this number erased?" without naming anyone, and row_counts says what was removed where.
CREATE TABLE customer_erasures (
  id                 bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_key_hash  text        NOT NULL,
  erased_by          text        NOT NULL,
  erased_at          timestamptz NOT NULL DEFAULT now(),
  row_counts         jsonb       NOT NULL CHECK (jsonb_typeof(row_counts) = 'object')
);
