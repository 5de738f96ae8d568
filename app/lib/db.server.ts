import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "~/generated/prisma/client";
import { env } from "./env.server";

const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

function createClient(): PrismaClient {
  const adapter = new PrismaPg({ connectionString: env().DATABASE_URL, connectionTimeoutMillis: 5_000 });
  return new PrismaClient({ adapter });
}

/** The process's one Prisma client (kept across Vite's dev reloads). Only domain modules should use it. */
export const prisma: PrismaClient = (globalForPrisma.prisma ??= createClient());
