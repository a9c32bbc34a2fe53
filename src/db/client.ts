import postgres from 'postgres';

export type Sql = postgres.Sql;
export type Tx = postgres.TransactionSql;
/** Anything that can run a query: the pool or an open transaction. Repositories accept either. */
export type Queryable = Sql | Tx;

export interface DbOptions {
  url: string;
  max?: number;
  /** Seconds to wait for a connection before failing (the webhook answers 503 rather than hang). */
  connectTimeout?: number;
}

export function createDb({ url, max = 10, connectTimeout = 5 }: DbOptions): Sql {
  return postgres(url, {
    max,
    connect_timeout: connectTimeout,
    idle_timeout: 60,
    // bigint ids and counts come back as JS numbers: they stay far below 2^53 and job payloads stay plain JSON.
    types: { bigint: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) } },
    transform: { undefined: null },
    onnotice: () => {},
    // a transaction left open (a bug, a hung dependency) is ended by the server instead of pinning a
    // connection and the rows it locked forever
    connection: { idle_in_transaction_session_timeout: 30_000 },
  });
}
