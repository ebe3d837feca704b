-- The account id is the tenant's id on the door that names tenants by account, not that door's column.
ALTER TABLE tenant RENAME COLUMN hybridbox_account_id TO account_id;
