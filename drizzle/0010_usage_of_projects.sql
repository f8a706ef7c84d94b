-- EXT-5: a usage record names a data source or a project. Reviewed by hand: drizzle-kit 0.31 copied
-- the new project_id column from the old table, which has none; it is left out of the copy below.
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_usage_records` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`user_id` text NOT NULL,
	`consumer_account_id` text,
	`data_source_id` text,
	`data_source_user_id` text,
	`project_id` text,
	`product_code` text NOT NULL,
	`machine_name` text,
	`license_source` text NOT NULL,
	`billed_account_id` text NOT NULL,
	`checkout_id` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`consumer_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`data_source_id`) REFERENCES `data_sources`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`billed_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "usage_records_names_one_thing" CHECK((data_source_id is not null and data_source_user_id is not null and machine_name is not null and project_id is null) or (data_source_id is null and data_source_user_id is null and project_id is not null))
);
--> statement-breakpoint
INSERT INTO `__new_usage_records`("id", "at", "user_id", "consumer_account_id", "data_source_id", "data_source_user_id", "product_code", "machine_name", "license_source", "billed_account_id", "checkout_id") SELECT "id", "at", "user_id", "consumer_account_id", "data_source_id", "data_source_user_id", "product_code", "machine_name", "license_source", "billed_account_id", "checkout_id" FROM `usage_records`;--> statement-breakpoint
DROP TABLE `usage_records`;--> statement-breakpoint
ALTER TABLE `__new_usage_records` RENAME TO `usage_records`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `usage_records_billed_at_idx` ON `usage_records` (`billed_account_id`,`at`);--> statement-breakpoint
CREATE INDEX `usage_records_data_source_idx` ON `usage_records` (`data_source_id`);--> statement-breakpoint
CREATE INDEX `usage_records_project_idx` ON `usage_records` (`project_id`);