ALTER TABLE `data_source_users` ADD `expires_at` integer;--> statement-breakpoint
ALTER TABLE `accounts` ADD `external_access_days` integer;--> statement-breakpoint
ALTER TABLE `associations` ADD `expires_at` integer;