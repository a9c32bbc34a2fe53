import postgres from 'postgres';
import type { Sql } from '../../src/db/client.ts';

// Every statement's executed plan, from PostgreSQL itself: a pool whose connections load auto_explain and
// get each plan back as a NOTICE (EXPLAIN ANALYZE, BUFFERS, JSON), so a test sees the plans of the
// repositories' own SQL, with the parameters and the prepared (generic or custom) plans the app really runs.

export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  'Recheck Cond'?: string;
  Filter?: string;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  'Subplan Name'?: string;
  Plans?: PlanNode[];
}

export interface CapturedPlan {
  query: string;
  plan: PlanNode;
}

export interface PlanCapture {
  sql: Sql;
  plans: CapturedPlan[];
  close: () => Promise<void>;
}

/** `planCacheMode`: force_generic_plan shows what a prepared statement runs once PostgreSQL stops re-planning it. */
export function capturePlans(url: string, planCacheMode: 'force_generic_plan' | 'force_custom_plan' | 'auto'): PlanCapture {
  const plans: CapturedPlan[] = [];
  const sql = postgres(url, {
    max: 4,
    // the app's own type settings (src/db/client.ts), so repositories read their rows as they do in production
    types: { bigint: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) } },
    transform: { undefined: null },
    connection: {
      session_preload_libraries: 'auto_explain',
      'auto_explain.log_min_duration': '0',
      'auto_explain.log_analyze': 'on',
      'auto_explain.log_buffers': 'on',
      'auto_explain.log_timing': 'off',
      'auto_explain.log_format': 'json',
      'auto_explain.log_level': 'notice',
      plan_cache_mode: planCacheMode,
    },
    onnotice: (notice) => {
      const text = String(notice.message ?? '');
      const at = text.indexOf('plan:\n');
      if (at === -1) return;
      const parsed = JSON.parse(text.slice(at + 'plan:\n'.length)) as { 'Query Text': string; Plan: PlanNode };
      plans.push({ query: parsed['Query Text'], plan: parsed.Plan });
    },
  }) as unknown as Sql;
  return { sql, plans, close: () => sql.end({ timeout: 1 }) };
}

/** Every node of a plan, depth first. */
export function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)];
}

/** Shared buffers the statement touched (hit or read), as the top node reports for the whole tree. */
export const buffersOf = (plan: PlanNode) => (plan['Shared Hit Blocks'] ?? 0) + (plan['Shared Read Blocks'] ?? 0);
