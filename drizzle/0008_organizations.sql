CREATE TABLE `invitations` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`invited_account_id` text NOT NULL,
	`point_of_contact_email` text NOT NULL,
	`sent_at` integer NOT NULL,
	`sent_by_id` text NOT NULL,
	`answer` text,
	`answered_at` integer,
	`answered_by_id` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`invited_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`sent_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`answered_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `invitations_project_idx` ON `invitations` (`project_id`,`sent_at`);--> statement-breakpoint
CREATE INDEX `invitations_point_of_contact_idx` ON `invitations` (`point_of_contact_email`);--> statement-breakpoint
CREATE TABLE `project_links` (
	`project_id` text NOT NULL,
	`linked_project_id` text NOT NULL,
	`linked_account_id` text NOT NULL,
	`invitation_id` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`linked_project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`linked_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`invitation_id`) REFERENCES `invitations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `project_links_account_unique` ON `project_links` (`project_id`,`linked_account_id`);--> statement-breakpoint
CREATE INDEX `project_links_linked_idx` ON `project_links` (`linked_project_id`);