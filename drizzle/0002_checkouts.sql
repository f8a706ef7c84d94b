CREATE TABLE `checkout_restrictions` (
	`account_id` text NOT NULL,
	`country` text NOT NULL,
	`checkouts_enabled` integer DEFAULT true NOT NULL,
	`max_duration_days` integer DEFAULT 365 NOT NULL,
	`products` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`account_id`, `country`),
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `server_keys` (
	`name` text PRIMARY KEY NOT NULL,
	`private_key_pem` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `license_checkouts` ADD `license_file` text;