import { IsInt, IsString, Matches, Max, Min } from 'class-validator';

/** Connection settings every service with a database shares (environment variable names). */
export class DatabaseEnvironment {
  /** postgres://user[:password]@host:port/database */
  @IsString()
  @Matches(/^postgres(ql)?:\/\/.+\/[^/?]+/, { message: 'must be a postgres://…/<database> URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/vista';

  @IsInt() @Min(1) @Max(200) DATABASE_POOL_MAX = 10;
}

/** NATS settings every service shares (environment variable names). */
export class BusEnvironment {
  /** One or more comma-separated NATS URLs. */
  @IsString()
  @Matches(/^(nats|tls|wss?):\/\/[^,\s]+(,(nats|tls|wss?):\/\/[^,\s]+)*$/, { message: 'must be nats://host:port (comma-separated for a cluster)' })
  NATS_URL = 'nats://127.0.0.1:4222';

  /** Isolates one deployment (or test run) from another: prefixes subjects, streams and buckets. */
  @Matches(/^[a-z][a-z0-9_-]{0,39}$/, { message: 'must be lower-case letters, digits, _ or - (≤ 40)' })
  VISTA_BUS_NAMESPACE = 'vista';

  /** Replicas of Vista's JetStream streams: 1 on a single server, 3 on a cluster. */
  @IsInt() @Min(1) @Max(5) VISTA_STREAM_REPLICAS = 1;
}
