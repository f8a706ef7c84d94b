CREATE TABLE `project_custom_roles` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`permissions` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `project_custom_roles_name_unique` ON `project_custom_roles` (`project_id`,`name_key`);--> statement-breakpoint
CREATE TABLE `project_member_roles` (
	`project_id` text NOT NULL,
	`user_id` text NOT NULL,
	`role` text NOT NULL,
	`custom_role_id` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`project_id`, `user_id`, `role`),
	FOREIGN KEY (`custom_role_id`) REFERENCES `project_custom_roles`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`project_id`,`user_id`) REFERENCES `project_team_members`(`project_id`,`user_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `project_member_roles_custom_idx` ON `project_member_roles` (`custom_role_id`);--> statement-breakpoint
CREATE INDEX `project_member_roles_role_idx` ON `project_member_roles` (`project_id`,`role`);--> statement-breakpoint
CREATE TABLE `projects` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`number` text NOT NULL,
	`number_key` text NOT NULL,
	`name` text NOT NULL,
	`created_by_id` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`deliverables_enabled_at` integer,
	`deliverables_enabled_by_id` text,
	`internal_domain` text,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`deliverables_enabled_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `projects_number_unique` ON `projects` (`account_id`,`number_key`);--> statement-breakpoint
CREATE INDEX `projects_account_idx` ON `projects` (`account_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `project_team_members` (
	`project_id` text NOT NULL,
	`user_id` text NOT NULL,
	`source` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`project_id`, `user_id`),
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `project_team_members_user_idx` ON `project_team_members` (`user_id`);