CREATE TABLE "usage_decisions" (
	"id" text PRIMARY KEY NOT NULL,
	"body" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "usage_records" ADD COLUMN "decision_id" text;--> statement-breakpoint
ALTER TABLE "usage_records" ADD CONSTRAINT "usage_records_decision_id_usage_decisions_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."usage_decisions"("id") ON DELETE no action ON UPDATE no action;