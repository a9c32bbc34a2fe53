-- A complaint ("me llegó roto", "me cobraron doble") hands the chat to a person with its own reason, so
-- the operator sees it is a complaint and not a plain request for someone to talk to.
-- (Numbered 012: 009 to 011 are taken by work in progress elsewhere.)
ALTER TABLE handoffs DROP CONSTRAINT handoffs_reason_check;
ALTER TABLE handoffs ADD CONSTRAINT handoffs_reason_check CHECK (reason IN ('requested', 'not_understood', 'complaint'));
