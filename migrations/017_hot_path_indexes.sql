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
