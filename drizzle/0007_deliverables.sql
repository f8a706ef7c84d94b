CREATE TABLE `deliverables_entries` (
	`project_id` text NOT NULL,
	`origin` text NOT NULL,
	`kind` text NOT NULL,
	`principal_id` text NOT NULL,
	`work_area_id` text,
	`data_source_user_id` text,
	`permissions` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`project_id`, `origin`, `kind`, `principal_id`),
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`data_source_user_id`) REFERENCES `data_source_users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`work_area_id`,`kind`,`principal_id`) REFERENCES `work_area_participants`(`work_area_id`,`kind`,`principal_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `deliverables_entries_participant_idx` ON `deliverables_entries` (`work_area_id`,`kind`,`principal_id`);--> statement-breakpoint
CREATE INDEX `deliverables_entries_ds_user_idx` ON `deliverables_entries` (`data_source_user_id`);--> statement-breakpoint
CREATE TABLE `deliverables_connectors` (
	`project_id` text PRIMARY KEY NOT NULL,
	`work_area_id` text NOT NULL,
	`associated_at` integer NOT NULL,
	`associated_by_id` text NOT NULL,
	`synchronized_at` integer NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`work_area_id`) REFERENCES `work_areas`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`associated_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deliverables_connectors_work_area_unique` ON `deliverables_connectors` (`work_area_id`);--> statement-breakpoint
CREATE TABLE `deliverables_sync_records` (
	`project_id` text NOT NULL,
	`data_source_user_id` text NOT NULL,
	`email` text NOT NULL,
	`profile_id` text NOT NULL,
	PRIMARY KEY(`project_id`, `data_source_user_id`),
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`data_source_user_id`) REFERENCES `data_source_users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`profile_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `deliverables_sync_records_user_idx` ON `deliverables_sync_records` (`data_source_user_id`);