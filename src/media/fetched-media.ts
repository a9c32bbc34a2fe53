/** A voice note or picture in memory. Never written to disk or the database: dropped once read. */
export interface FetchedMedia {
  bytes: Uint8Array;
  /** The bare type (no parameters), one of the allowed ones. */
  mimeType: string;
}
