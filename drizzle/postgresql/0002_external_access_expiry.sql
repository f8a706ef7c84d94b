ALTER TABLE "accounts" ADD COLUMN "external_access_days" integer;--> statement-breakpoint
ALTER TABLE "associations" ADD COLUMN "expires_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "data_source_users" ADD COLUMN "expires_at" timestamp (3) with time zone;