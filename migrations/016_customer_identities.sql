-- One customer, whatever the id (issue 14). Since 2026 WhatsApp names a customer by a business-scoped user id
-- (BSUID, `US.1349…`), a parent BSUID shared by linked businesses (`US.ENT.…`), a username, and the phone
-- number only while Meta shares it; Whapi by a linked id (`…@lid`) that hides the number.
--
-- Everything that knows a customer (customers, guest profiles, sessions, carts, orders, handoffs, rate
-- limits, history, labels) keeps keying by one stable chat key per customer: the `phone`, `chat_id` and
-- `customer_phone` columns hold it. For every customer until now that key is their phone number, and it stays
-- so; a customer first seen without a number gets another id as key. Every id a delivery carries points at
-- that key here, so the customer who wrote by phone and later only by BSUID (or after changing number)
-- finds their cart, orders, labels, history and opt-out where they left them.

CREATE TABLE customer_identities (
  kind          text        NOT NULL CHECK (kind IN ('phone', 'bsuid', 'parent_bsuid', 'username', 'lid')),
  value         text        NOT NULL CHECK (length(value) BETWEEN 1 AND 160),
  -- the customer's chat key
  customer_key  text        NOT NULL,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  -- an id the customer changed away from (user_changed_number, user_changed_user_id, a new number): still
  -- recognised as theirs, never sent to
  retired_at    timestamptz,
  PRIMARY KEY (kind, value),
  CHECK (kind <> 'phone' OR value ~ '^\d{6,15}$'),
  CHECK (kind NOT IN ('bsuid', 'parent_bsuid') OR value ~ '^[A-Z]{2}\.(ENT\.)?[A-Za-z0-9]{1,128}$')
);
-- a customer's ids, for the send address and merges
CREATE INDEX customer_identities_by_key ON customer_identities (customer_key);
-- at most one current id of each kind per customer: the address a reply goes to is never ambiguous
CREATE UNIQUE INDEX customer_identities_one_current ON customer_identities (customer_key, kind) WHERE retired_at IS NULL;

-- Every customer until now is known by number, and their number is their key.
INSERT INTO customer_identities (kind, value, customer_key, first_seen_at)
SELECT 'phone', key, key, min(seen)
  FROM (
    SELECT phone AS key, created_at AS seen FROM customers
    UNION ALL SELECT phone_number, first_interaction FROM guest_profiles
    UNION ALL SELECT phone_number, coalesce(first_interaction, created_at) FROM historical_clients
    UNION ALL SELECT customer_phone, created_at FROM customer_sessions
    UNION ALL SELECT phone, updated_at FROM carts
    UNION ALL SELECT phone, created_at FROM orders
    UNION ALL SELECT chat_id, min(received_at) FROM inbound_messages GROUP BY chat_id
  ) known
 WHERE key ~ '^\d{6,15}$'
 GROUP BY key
ON CONFLICT DO NOTHING;

-- A marketing opt-out says where it came from: typed in the chat, or WhatsApp's own setting
-- (`user_preferences`). Resuming in the setting undoes only an opt-out the setting made.
ALTER TABLE customers ADD COLUMN opted_out_source text CHECK (opted_out_source IN ('typed', 'user_preferences'));
UPDATE customers SET opted_out_source = 'typed' WHERE opted_out_at IS NOT NULL;

-- What Meta bills for each message we sent, from its status webhooks' `pricing` (per-message pricing
-- since July 2025): the category, whether it is billable, and the price the table below gave it at the
-- time. Meta charges on delivery, so the estimate counts billable messages once delivered.
CREATE TABLE message_billing (
  provider            text        NOT NULL,
  provider_message_id text        NOT NULL,
  category            text        NOT NULL CHECK (category ~ '^[a-z_]{1,40}$'),
  billable            boolean     NOT NULL,
  pricing_model       text,
  pricing_type        text,
  -- ISO 3166 alpha-2 of the recipient: the phone's calling code, or the BSUID's prefix; null if neither
  country             text        CHECK (country ~ '^[A-Z]{2}$'),
  -- US$ per message from whatsapp_prices when first reported; null: no price for that category and country
  price_usd           numeric(10,6) CHECK (price_usd >= 0),
  reported_at         timestamptz NOT NULL,
  delivered_at        timestamptz,
  PRIMARY KEY (provider, provider_message_id)
);
CREATE INDEX message_billing_reported_at ON message_billing (reported_at);

-- Meta's rate card, as the business keeps it: US$ per delivered message by category and recipient
-- country ('*' for every country without its own row). Meta revises rates quarterly; `npm run prices`
-- sets them. Empty until set: the dashboard then counts billable messages without a price.
CREATE TABLE whatsapp_prices (
  category    text          NOT NULL CHECK (category ~ '^[a-z_]{1,40}$'),
  country     text          NOT NULL CHECK (country ~ '^([A-Z]{2}|\*)$'),
  price_usd   numeric(10,6) NOT NULL CHECK (price_usd >= 0),
  updated_at  timestamptz   NOT NULL DEFAULT now(),
  PRIMARY KEY (category, country)
);
