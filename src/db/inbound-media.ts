import type { Queryable } from './client.ts';

export interface MediaReading {
  /** New `text` of the row (a voice note's transcript); undefined keeps what is there (a caption). */
  text?: string;
  /** Merged into `details`: transcript, imageDescription, mediaOutcome… Must include `mediaOutcome`. */
  details: { mediaOutcome: string } & Record<string, unknown>;
}

/**
 * Store what was read from a voice note or picture on its inbound row, in one statement, only while the
 * row still waits for ingest (or for the rate limit to release it) and has no reading yet: a re-run or a concurrent run changes nothing.
 * Returns the row's text and details as they now are, or undefined when this call changed nothing.
 */
export async function saveMediaReading(db: Queryable, inboundId: number, reading: MediaReading): Promise<{ text: string | null; details: Record<string, unknown> } | undefined> {
  const [row] = await db<{ text: string | null; details: Record<string, unknown> }[]>`
    UPDATE inbound_messages
       SET text = coalesce(${reading.text ?? null}, text), details = details || ${db.json(reading.details as never)}
     WHERE id = ${inboundId} AND status IN ('received', 'held') AND NOT details ? 'mediaOutcome'
    RETURNING text, details`;
  return row;
}
