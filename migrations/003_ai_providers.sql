-- AI providers (seed 004, "Configuración de AI Providers"): which ones to use, in what order, with what
-- limits. Read by the AI router with a short cache, so an UPDATE here takes effect within seconds in
-- every process. A provider is only ever called when its API key is also set in the environment.

CREATE TABLE ai_provider_config (
  id                          serial PRIMARY KEY,
  provider_name               varchar(50)   NOT NULL UNIQUE,   -- 'openai' | 'deepseek' | 'gemini'
  is_enabled                  boolean       NOT NULL DEFAULT true,
  priority                    integer       NOT NULL DEFAULT 100, -- lower is tried first
  max_tokens                  integer       NOT NULL DEFAULT 150 CHECK (max_tokens > 0),
  temperature                 numeric(3,2)  NOT NULL DEFAULT 0.7 CHECK (temperature >= 0 AND temperature <= 2),
  -- flat price of one call; when NULL the per-token prices below estimate it
  cost_per_request            numeric(10,6),
  cost_per_1k_prompt_tokens   numeric(10,6),
  cost_per_1k_completion_tokens numeric(10,6),
  timeout_ms                  integer       NOT NULL DEFAULT 5000 CHECK (timeout_ms > 0),
  -- the breaker opens once this many calls fell in its rolling window and more than
  -- error_threshold_percentage of them failed
  circuit_breaker_threshold   integer       NOT NULL DEFAULT 5 CHECK (circuit_breaker_threshold > 0),
  error_threshold_percentage  integer       NOT NULL DEFAULT 50 CHECK (error_threshold_percentage BETWEEN 1 AND 100),
  circuit_breaker_timeout     integer       NOT NULL DEFAULT 300 CHECK (circuit_breaker_timeout > 0), -- seconds open before a trial call
  created_at                  timestamptz   NOT NULL DEFAULT now(),
  updated_at                  timestamptz   NOT NULL DEFAULT now()
);

-- The seed's figures: Gemini first (cheapest, fastest timeout), DeepSeek next, OpenAI last.
INSERT INTO ai_provider_config (provider_name, priority, cost_per_request, timeout_ms) VALUES
  ('gemini',   90,  0.000075, 3000),
  ('deepseek', 100, 0.00014,  5000),
  ('openai',   110, 0.00015,  5000);

-- One row per call to a provider (or per call skipped because its breaker was open): what the AI
-- path costs, how fast it is and how often it fails, per provider and purpose.
CREATE TABLE ai_calls (
  id                bigserial PRIMARY KEY,
  provider          text          NOT NULL,
  purpose           text          NOT NULL CHECK (purpose IN ('intent', 'reply', 'transcription', 'vision')),
  latency_ms        integer       NOT NULL,
  prompt_tokens     integer,
  completion_tokens integer,
  estimated_cost    numeric(12,8),
  outcome           text          NOT NULL CHECK (outcome IN ('ok', 'timeout', 'error', 'invalid', 'breaker_open')),
  error             text,
  created_at        timestamptz   NOT NULL DEFAULT now()
);
CREATE INDEX ai_calls_created_at ON ai_calls (created_at);
