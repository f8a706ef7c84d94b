CREATE TABLE `licensing_owner_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`data_source_id` text NOT NULL,
	`owner_account_id` text NOT NULL,
	`requested_account_id` text NOT NULL,
	`state` text NOT NULL,
	`requested_by_id` text,
	`requested_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`billing_change_acknowledged` integer DEFAULT false NOT NULL,
	`answered_by_id` text,
	`answered_at` integer,
	FOREIGN KEY (`data_source_id`) REFERENCES `data_sources`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`owner_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`requested_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`requested_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`answered_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `licensing_owner_requests_data_source_idx` ON `licensing_owner_requests` (`data_source_id`,`requested_at`);--> statement-breakpoint
CREATE INDEX `licensing_owner_requests_requested_idx` ON `licensing_owner_requests` (`requested_account_id`,`requested_at`);