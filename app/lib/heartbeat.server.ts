// Each workers process beats into one Redis hash (a field per process: its queues and last beat time); the health
// check reads that one key. A process that hangs or dies stops renewing its field: fields older than the TTL are
// ignored and removed by the reader, and the whole hash expires when no process beats at all. Never a keyspace
// SCAN: its cost grows with every key in Redis (the queues' jobs included), not with the number of workers.
import type { Redis } from "ioredis";
import { env } from "./env.server";

export interface WorkerHeartbeat {
  workerId: string;
  queues: string[];
  startedAt: string;
  beatAt: string;
}

export const heartbeatKey = () => `${env().QUEUE_PREFIX}:heartbeat:workers`;

export async function recordHeartbeat(client: Redis, beat: Omit<WorkerHeartbeat, "beatAt">, now = new Date()): Promise<void> {
  const value: WorkerHeartbeat = { ...beat, beatAt: now.toISOString() };
  await client
    .multi()
    .hset(heartbeatKey(), beat.workerId, JSON.stringify(value))
    .expire(heartbeatKey(), env().WORKER_HEARTBEAT_TTL_SECONDS)
    .exec();
}

export async function clearHeartbeat(client: Redis, workerId: string): Promise<void> {
  await client.hdel(heartbeatKey(), workerId);
}

/** The processes that beat within the TTL; staler fields are removed on the way. */
export async function readHeartbeats(client: Redis, now = new Date()): Promise<WorkerHeartbeat[]> {
  const fields = await client.hgetall(heartbeatKey());
  const oldest = now.getTime() - env().WORKER_HEARTBEAT_TTL_SECONDS * 1000;
  const fresh: WorkerHeartbeat[] = [];
  const stale: string[] = [];
  for (const [workerId, value] of Object.entries(fields)) {
    const beat = parseBeat(value);
    if (beat && Date.parse(beat.beatAt) >= oldest) fresh.push(beat);
    else stale.push(workerId);
  }
  if (stale.length > 0) await client.hdel(heartbeatKey(), ...stale);
  return fresh;
}

function parseBeat(value: string): WorkerHeartbeat | null {
  try {
    const beat = JSON.parse(value) as WorkerHeartbeat;
    return typeof beat.beatAt === "string" ? beat : null;
  } catch {
    return null;
  }
}
