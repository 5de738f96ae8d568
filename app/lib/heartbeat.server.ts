// Each workers process writes a heartbeat key that expires; /healthz reads them. A process that hangs or
// dies simply stops renewing its key, so no clean-up is needed for the health check to notice.
import type { Redis } from "ioredis";
import { env } from "./env.server";

export interface WorkerHeartbeat {
  workerId: string;
  queues: string[];
  startedAt: string;
  beatAt: string;
}

const keyPattern = () => `${env().QUEUE_PREFIX}:heartbeat:workers:`;

export async function recordHeartbeat(client: Redis, beat: Omit<WorkerHeartbeat, "beatAt">, now = new Date()): Promise<void> {
  const value: WorkerHeartbeat = { ...beat, beatAt: now.toISOString() };
  await client.set(keyPattern() + beat.workerId, JSON.stringify(value), "EX", env().WORKER_HEARTBEAT_TTL_SECONDS);
}

export async function clearHeartbeat(client: Redis, workerId: string): Promise<void> {
  await client.del(keyPattern() + workerId);
}

export async function readHeartbeats(client: Redis): Promise<WorkerHeartbeat[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await client.scan(cursor, "MATCH", `${keyPattern()}*`, "COUNT", 100);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== "0");
  if (keys.length === 0) return [];
  const values = await client.mget(...keys);
  return values.flatMap((value) => (value ? [JSON.parse(value) as WorkerHeartbeat] : []));
}
