-- Hot statements look rows up by their chat (issue 16).
--
-- The outbound stage's claim, its mark-sent and its "more pending?" look for a chat's pending replies. The
-- only pending index was outbox_pending_by_age (created_at), which holds every chat's pending rows: with a
-- backlog the planner walked it whole for each message (about 2,700 index tuples a message in the bench),
-- because a partial index over a queue that was small at the last ANALYZE (or never analyzed at all)
-- looks like one page to it, whatever it holds now. This one is keyed by the chat, in send order: a
-- lookup costs the same with 5 or 5,000 replies waiting for other chats. The statements name the chat as
-- well as the row id, so the index condition covers both of its columns.
CREATE INDEX outbox_pending_by_chat ON outbox (chat_id, id) WHERE status = 'pending';

-- A chat's open handoff, read by every conversation turn, was found through the resume-time index walked
-- whole (its predicate is the same, and both look empty to the planner): the per-chat unique index is the
-- one that answers it. The minute's housekeeping that looks for overdue handoffs reads the open ones (a few
-- dozen at most) through that same index instead.
DROP INDEX handoffs_open_by_resume;

-- The recovery sweep looks for messages stuck in ingest and for chats stuck before the conversation, each
-- by age. One index held both kinds, so behind a backlog each look walked the other kind's rows too (most
-- of a backlog waits for the conversation, not for ingest). One index per status costs no extra write: a
-- message enters the first at its insert and the second when it is marked ingested, as it entered the one
-- index twice before.
DROP INDEX inbound_messages_open_by_age;
CREATE INDEX inbound_messages_received_by_age ON inbound_messages (received_at) WHERE status = 'received';
CREATE INDEX inbound_messages_ingested_by_age ON inbound_messages (received_at) WHERE status = 'ingested';
