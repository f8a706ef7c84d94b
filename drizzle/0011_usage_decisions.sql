CREATE TABLE `usage_decisions` (
	`id` text PRIMARY KEY NOT NULL,
	`body` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `usage_records` ADD `decision_id` text REFERENCES usage_decisions(id);