CREATE TABLE `data_source_groups` (
	`id` text PRIMARY KEY NOT NULL,
	`data_source_id` text NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`data_source_id`) REFERENCES `data_sources`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `data_source_groups_name_unique` ON `data_source_groups` (`data_source_id`,`name_key`);--> statement-breakpoint
CREATE TABLE `data_source_users` (
	`id` text PRIMARY KEY NOT NULL,
	`data_source_id` text NOT NULL,
	`login` text NOT NULL,
	`login_key` text NOT NULL,
	`email` text,
	`identity` text,
	`client_licensing` text DEFAULT 'OWN_ORGANIZATION' NOT NULL,
	`created` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`data_source_id`) REFERENCES `data_sources`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `data_source_users_login_unique` ON `data_source_users` (`data_source_id`,`login_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `data_source_users_identity_unique` ON `data_source_users` (`data_source_id`,`identity`);--> statement-breakpoint
CREATE TABLE `data_sources` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`owner_account_id` text NOT NULL,
	`ims_auth_enabled` integer DEFAULT false NOT NULL,
	`dynamic_creation_filter` text,
	`licensing_owner_account_id` text,
	`allow_external_ims_users` integer DEFAULT false NOT NULL,
	`external_licensing` text DEFAULT 'DENY' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`owner_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`licensing_owner_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `data_sources_owner_name_unique` ON `data_sources` (`owner_account_id`,`name_key`);--> statement-breakpoint
CREATE TABLE `group_members` (
	`group_id` text NOT NULL,
	`user_id` text NOT NULL,
	PRIMARY KEY(`group_id`, `user_id`),
	FOREIGN KEY (`group_id`) REFERENCES `data_source_groups`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `data_source_users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `group_members_user_idx` ON `group_members` (`user_id`);--> statement-breakpoint
CREATE TABLE `installed_licenses` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`checkout_id` text NOT NULL,
	`machine_name` text NOT NULL,
	`imported_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`checkout_id`) REFERENCES `license_checkouts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `installed_licenses_unique` ON `installed_licenses` (`user_id`,`checkout_id`,`machine_name`);--> statement-breakpoint
CREATE INDEX `installed_licenses_user_machine_idx` ON `installed_licenses` (`user_id`,`machine_name`);--> statement-breakpoint
CREATE TABLE `license_checkout_products` (
	`checkout_id` text NOT NULL,
	`product_code` text NOT NULL,
	`version` text NOT NULL,
	PRIMARY KEY(`checkout_id`, `product_code`),
	FOREIGN KEY (`checkout_id`) REFERENCES `license_checkouts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `license_checkouts` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`email` text NOT NULL,
	`machine_name` text NOT NULL,
	`entitlement_country` text NOT NULL,
	`issued_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`created_by_id` text NOT NULL,
	`checked_in_at` integer,
	`checked_in_by_id` text,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`checked_in_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `license_checkouts_account_idx` ON `license_checkouts` (`account_id`,`issued_at`);--> statement-breakpoint
CREATE INDEX `license_checkouts_email_idx` ON `license_checkouts` (`email`);--> statement-breakpoint
CREATE TABLE `usage_records` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`user_id` text NOT NULL,
	`consumer_account_id` text,
	`data_source_id` text NOT NULL,
	`data_source_user_id` text NOT NULL,
	`product_code` text NOT NULL,
	`machine_name` text NOT NULL,
	`license_source` text NOT NULL,
	`billed_account_id` text NOT NULL,
	`checkout_id` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`consumer_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`data_source_id`) REFERENCES `data_sources`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`billed_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `usage_records_billed_at_idx` ON `usage_records` (`billed_account_id`,`at`);--> statement-breakpoint
CREATE INDEX `usage_records_data_source_idx` ON `usage_records` (`data_source_id`);--> statement-breakpoint
CREATE TABLE `user_list_members` (
	`list_id` text NOT NULL,
	`kind` text NOT NULL,
	`member_id` text NOT NULL,
	`user_id` text,
	`group_id` text,
	`child_list_id` text,
	PRIMARY KEY(`list_id`, `kind`, `member_id`),
	FOREIGN KEY (`list_id`) REFERENCES `user_lists`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `data_source_users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`group_id`) REFERENCES `data_source_groups`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`child_list_id`) REFERENCES `user_lists`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `user_list_members_user_idx` ON `user_list_members` (`user_id`);--> statement-breakpoint
CREATE INDEX `user_list_members_group_idx` ON `user_list_members` (`group_id`);--> statement-breakpoint
CREATE INDEX `user_list_members_child_idx` ON `user_list_members` (`child_list_id`);--> statement-breakpoint
CREATE TABLE `user_lists` (
	`id` text PRIMARY KEY NOT NULL,
	`data_source_id` text NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`data_source_id`) REFERENCES `data_sources`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `user_lists_name_unique` ON `user_lists` (`data_source_id`,`name_key`);--> statement-breakpoint
CREATE TABLE `work_area_participants` (
	`work_area_id` text NOT NULL,
	`kind` text NOT NULL,
	`principal_id` text NOT NULL,
	`user_id` text,
	`group_id` text,
	`list_id` text,
	`role` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`work_area_id`, `kind`, `principal_id`),
	FOREIGN KEY (`work_area_id`) REFERENCES `work_areas`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `data_source_users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`group_id`) REFERENCES `data_source_groups`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`list_id`) REFERENCES `user_lists`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `work_area_participants_user_idx` ON `work_area_participants` (`user_id`);--> statement-breakpoint
CREATE INDEX `work_area_participants_group_idx` ON `work_area_participants` (`group_id`);--> statement-breakpoint
CREATE INDEX `work_area_participants_list_idx` ON `work_area_participants` (`list_id`);--> statement-breakpoint
CREATE TABLE `work_areas` (
	`id` text PRIMARY KEY NOT NULL,
	`data_source_id` text NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`data_source_id`) REFERENCES `data_sources`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `work_areas_name_unique` ON `work_areas` (`data_source_id`,`name_key`);