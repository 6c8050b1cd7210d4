// Prisma CLI configuration. Sluice applies migrations with its own migrator (packages/db), because
// the CLI's migrate commands need a native engine that cannot be downloaded here; this file lets
// `prisma generate` run, and lets anyone with a working Prisma CLI use the same schema and
// migrations (`DATABASE_URL=… npx prisma migrate status`).
import { defineConfig } from 'prisma/config';

const url = process.env.DATABASE_URL;

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  // Only `prisma generate` runs without a database; it needs no URL.
  ...(url ? { datasource: { url } } : {}),
});
