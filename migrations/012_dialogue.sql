-- Conversations a customer can finish without AI (issue 12).
--
-- Handoffs gain reasons and a kind that does not silence the bot. A complaint pauses the bot like a
-- request for a person. A payment receipt to check, or a question nothing written down answers, puts the
-- chat in front of a person without pausing it: the customer may go on shopping while someone looks.
-- A pausing handoff arriving while a non-pausing one is open upgrades it (one open handoff per chat).
ALTER TABLE handoffs DROP CONSTRAINT handoffs_reason_check;
ALTER TABLE handoffs ADD CONSTRAINT handoffs_reason_check
  CHECK (reason IN ('requested', 'not_understood', 'complaint', 'payment_receipt', 'question'));
ALTER TABLE handoffs ADD COLUMN pauses_bot boolean NOT NULL DEFAULT true;

-- How long each delivery takes, so "¿cuándo me llega?" gets dates, not only a status. Days counted
-- from the order; business days skip Saturdays and Sundays. NULL: no estimate is given.
ALTER TABLE shipping_options
  ADD COLUMN min_days      integer CHECK (min_days >= 0),
  ADD COLUMN max_days      integer CHECK (max_days >= 0),
  ADD COLUMN business_days boolean NOT NULL DEFAULT true,
  ADD CONSTRAINT shipping_options_days_order CHECK (max_days IS NULL OR min_days IS NULL OR max_days >= min_days);
UPDATE shipping_options SET min_days = 2, max_days = 5 WHERE code = 'estandar';
UPDATE shipping_options SET min_days = 0, max_days = 0, business_days = false WHERE code = 'express';
UPDATE shipping_options SET min_days = 1, max_days = 1, business_days = false WHERE code = 'recoger';
