-- ID-6: country codes are one country in any case ("us" = "US"). Rows stored before the API
-- normalized them are upper-cased; where that makes two rows one (an entitlement or a restriction
-- in "us" and in "US"), the most recently written row is kept.
DELETE FROM `entitlements` WHERE rowid NOT IN (
  SELECT max(rowid) FROM `entitlements` GROUP BY `account_id`, `product_code`, upper(`country`)
);--> statement-breakpoint
UPDATE `entitlements` SET `country` = upper(`country`) WHERE `country` <> upper(`country`);--> statement-breakpoint
DELETE FROM `checkout_restrictions` WHERE rowid NOT IN (
  SELECT max(rowid) FROM `checkout_restrictions` GROUP BY `account_id`, upper(`country`)
);--> statement-breakpoint
UPDATE `checkout_restrictions` SET `country` = upper(`country`) WHERE `country` <> upper(`country`);--> statement-breakpoint
UPDATE `users` SET `usage_country` = upper(`usage_country`) WHERE `usage_country` <> upper(`usage_country`);--> statement-breakpoint
UPDATE `license_checkouts` SET `entitlement_country` = upper(`entitlement_country`) WHERE `entitlement_country` <> upper(`entitlement_country`);
