// Closes this process's connections (Prisma, Redis, queues) — on SIGTERM and at the end of each test file.
import { closeQueues } from "./queue.server";

export async function disconnectAll(): Promise<void> {
  const holder = globalThis as unknown as {
    prisma?: { $disconnect(): Promise<void> };
    redis?: { quit(): Promise<unknown>; disconnect(): void };
  };
  await closeQueues();
  const { prisma, redis } = holder;
  holder.prisma = undefined;
  holder.redis = undefined;
  await Promise.allSettled([prisma?.$disconnect(), redis?.quit().catch(() => redis.disconnect())]);
}
