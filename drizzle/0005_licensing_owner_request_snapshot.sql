ALTER TABLE `licensing_owner_requests` ADD `data_source_name` text;--> statement-breakpoint
ALTER TABLE `licensing_owner_requests` ADD `ims_auth_enabled` integer;--> statement-breakpoint
ALTER TABLE `licensing_owner_requests` ADD `dynamic_creation_filter` text;--> statement-breakpoint
ALTER TABLE `licensing_owner_requests` ADD `allow_external_ims_users` integer;--> statement-breakpoint
ALTER TABLE `licensing_owner_requests` ADD `external_licensing` text;--> statement-breakpoint
-- LIC-3: requests made before this migration take their data source's values as they are now.
UPDATE `licensing_owner_requests` SET
  `data_source_name` = (SELECT `name` FROM `data_sources` WHERE `data_sources`.`id` = `licensing_owner_requests`.`data_source_id`),
  `ims_auth_enabled` = (SELECT `ims_auth_enabled` FROM `data_sources` WHERE `data_sources`.`id` = `licensing_owner_requests`.`data_source_id`),
  `dynamic_creation_filter` = (SELECT `dynamic_creation_filter` FROM `data_sources` WHERE `data_sources`.`id` = `licensing_owner_requests`.`data_source_id`),
  `allow_external_ims_users` = (SELECT `allow_external_ims_users` FROM `data_sources` WHERE `data_sources`.`id` = `licensing_owner_requests`.`data_source_id`),
  `external_licensing` = (SELECT `external_licensing` FROM `data_sources` WHERE `data_sources`.`id` = `licensing_owner_requests`.`data_source_id`);
