// Columns every area's tables share. Timestamps are stored as integer milliseconds (Drizzle maps them
// to Date); calendar dates (contract ends) as ISO `YYYY-MM-DD` text so they compare lexically.
import { sql } from 'drizzle-orm';
import { integer } from 'drizzle-orm/sqlite-core';

export const createdAt = () =>
  integer('created_at', { mode: 'timestamp_ms' }).notNull().default(sql`(unixepoch('subsec') * 1000)`);
