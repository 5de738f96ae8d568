// An order from the number staff pages carry in their URLs (with or without dashes): its id and canonical number.
import { prisma } from "~/lib/db.server";
import { parseOrderNumber } from "./order-number";

export async function findOrderByNumber(orderNumber: string): Promise<{ id: string; orderNumber: string } | null> {
  const number = parseOrderNumber(orderNumber);
  return number ? prisma.reissueOrder.findUnique({ where: { orderNumber: number }, select: { id: true, orderNumber: true } }) : null;
}
