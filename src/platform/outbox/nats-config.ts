/**
 * The NATS JetStream relay's configuration (docs/deployment.md, "Events to NATS JetStream"):
 * `PLAZA_NATS_URL` turns it on; `PLAZA_NATS_STREAM` and `PLAZA_NATS_SUBJECT_PREFIX` name where events go.
 */

export interface NatsConfig {
  /** PLAZA_NATS_URL: one or more servers, separated by commas (`nats://user:pass@host:4222`, `tls://…`). */
  servers: string[];
  /** PLAZA_NATS_STREAM: the JetStream stream (default `PLAZA`), created when missing. */
  stream: string;
  /** PLAZA_NATS_SUBJECT_PREFIX: each event is published on `<prefix>.<event type>` (default `plaza.events`). */
  subjectPrefix: string;
}

/** JetStream stream names: no whitespace, `.`, `*`, `>` or path separators (kept to a safe alphabet). */
const STREAM_NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** Subject tokens without wildcards or whitespace. */
const SUBJECT_TOKEN = /^[A-Za-z0-9_-]+$/;

const validServer = (s: string): boolean => {
  try {
    const u = new URL(s);
    return (u.protocol === 'nats:' || u.protocol === 'tls:') && u.hostname !== '';
  } catch {
    return false;
  }
};

/** Reads the relay's variables; undefined when PLAZA_NATS_URL is unset (no relay). */
export const natsFrom = (
  env: NodeJS.ProcessEnv,
  fail: (message: string) => Error,
): NatsConfig | undefined => {
  const raw = env.PLAZA_NATS_URL?.trim();
  if (!raw) return undefined;
  const servers = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = servers.find((s) => !validServer(s));
  if (bad !== undefined || servers.length === 0) {
    throw fail(
      `PLAZA_NATS_URL must be nats:// or tls:// URLs separated by commas, such as nats://127.0.0.1:4222 (got "${bad ?? raw}")`,
    );
  }
  const stream = env.PLAZA_NATS_STREAM?.trim() || 'PLAZA';
  if (!STREAM_NAME.test(stream)) {
    throw fail(`PLAZA_NATS_STREAM must be 1–64 letters, digits, _ or - (got "${stream}")`);
  }
  const subjectPrefix = env.PLAZA_NATS_SUBJECT_PREFIX?.trim() || 'plaza.events';
  if (!subjectPrefix.split('.').every((t) => SUBJECT_TOKEN.test(t))) {
    throw fail(
      `PLAZA_NATS_SUBJECT_PREFIX must be dot-separated tokens of letters, digits, _ or -, without wildcards (got "${subjectPrefix}")`,
    );
  }
  return { servers, stream, subjectPrefix };
};
