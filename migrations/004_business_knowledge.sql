-- What the business wants its assistant to know when it answers free-form questions (issue 4): hours,
-- address, policies, FAQ. One row per topic, edited through the admin API without a redeploy; the AI
-- reply sees every row (ordered), after the optional BUSINESS_KNOWLEDGE_FILE. Empty by default: the
-- assistant must not tell customers facts nobody wrote down.

CREATE TABLE business_knowledge (
  topic       text        PRIMARY KEY CHECK (topic ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
  content     text        NOT NULL CHECK (length(content) BETWEEN 1 AND 4000),
  sort_order  integer     NOT NULL DEFAULT 100,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
